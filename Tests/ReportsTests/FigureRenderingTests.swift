import Foundation
import Synchronization
import PaperClaims
import PropertyEngine
import Reports
import Testing

/// Figures fit for an appendix: every figure of a report renders (rsvg-convert) with nothing
/// drawn outside its canvas; reduced runs say so in the figure; points whose runs did not converge
/// are marked; axes stay within what the quantity can take and near the data; one tick notation
/// per axis; legends say each thing once.
@Suite("Figures")
struct FigureRenderingTests {
    /// rsvg-convert on PATH (Debian package librsvg2-bin; .ci/run installs it).
    static let rsvgConvert: URL? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { URL(fileURLWithPath: String($0)).appendingPathComponent("rsvg-convert") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    /// The repository (three levels above this file).
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The experiments cheap enough to run here at the quick profile's size (under a few seconds
    /// each), among them fig8b (d = 3 oscillates) and gap; the slow SGD experiments' figures come
    /// from the committed reports.
    static let cheapExperiments = ["fig3b", "fig4b", "fig4a", "fig7b", "fig6a", "fig6b", "fig8b", "gap"]

    static let quick = ClaimSelection.experimentOptions(profile: .quick, seed: 0x5EED_0001, workers: 2, runs: nil, stride: nil)

    /// The figures of the cheap experiments at the quick profile's size, run once for all tests.
    static let quickFigures: [String: Result<[FigureData], any Error>] = Dictionary(uniqueKeysWithValues: cheapExperiments.map { id in
        (id, Result { try PaperClaims.experiment(id).run(quick).figures })
    })

    static func figures(_ id: String, _ options: ExperimentOptions? = nil) throws -> [FigureData] {
        if options == nil, let cached = quickFigures[id] { return try cached.get() }
        return try PaperClaims.experiment(id).run(options ?? quick).figures
    }

    /// The tick labels of one axis of `svg`: text anchored at the end (y) or in the middle under the plot (x).
    static func tickLabels(_ svg: String, axis: Character) -> [String] {
        let pattern = axis == "y" ? #"text-anchor="end">([^<]*)<"# : #"<text x="[0-9.]+" y="[0-9.]+" text-anchor="middle">([^<]*)<"#
        let regex = try! NSRegularExpression(pattern: pattern)
        return regex.matches(in: svg, range: NSRange(svg.startIndex..., in: svg)).map { String(svg[Range($0.range(at: 1), in: svg)!]) }
    }

    /// Every text of `svg`, in order, joined by spaces (so wrapped lines read as one).
    static func text(_ svg: String) -> String {
        let regex = try! NSRegularExpression(pattern: #"<text[^>]*>([^<]*)</text>"#)
        return regex.matches(in: svg, range: NSRange(svg.startIndex..., in: svg)).map { String(svg[Range($0.range(at: 1), in: svg)!]) }
            .joined(separator: " ")
    }

    // MARK: - Rendering and overflow

    /// Runs rsvg-convert on `svg` and returns the PNG bytes.
    static func png(_ svg: String, in folder: URL, name: String) throws -> Data {
        let input = folder.appendingPathComponent("\(name).svg"), output = folder.appendingPathComponent("\(name).png")
        try Data(svg.utf8).write(to: input)
        let process = Process()
        process.executableURL = rsvgConvert
        process.arguments = ["-f", "png", "-o", output.path, input.path]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw RenderError(message: "rsvg-convert failed on \(name): \(String(decoding: message, as: UTF8.self))")
        }
        return try Data(contentsOf: output)
    }

    struct RenderError: Error, CustomStringConvertible { let message: String; var description: String { message } }

    /// The width and height in a PNG's IHDR chunk.
    static func pngSize(_ data: Data) -> (Int, Int)? {
        let bytes = [UInt8](data.prefix(24))
        guard bytes.count == 24, bytes[1...3] == [0x50, 0x4E, 0x47][...] else { return nil }
        func int(_ i: Int) -> Int { bytes[i..<(i + 4)].reduce(0) { $0 << 8 | Int($1) } }
        return (int(16), int(20))
    }

    /// The canvas size declared by the root element of one of our SVGs.
    static func canvas(_ svg: String) -> (width: Int, height: Int)? {
        let regex = try! NSRegularExpression(pattern: #"<svg [^>]*width="([0-9.]+)" height="([0-9.]+)" viewBox="0 0 [0-9.]+ [0-9.]+""#)
        guard let m = regex.firstMatch(in: svg, range: NSRange(svg.startIndex..., in: svg)),
              let w = Double(svg[Range(m.range(at: 1), in: svg)!]), let h = Double(svg[Range(m.range(at: 2), in: svg)!]),
              w == w.rounded(), h == h.rounded() else { return nil }
        return (Int(w), Int(h))
    }

    /// `svg` on a canvas enlarged by `margin` on every side, showing only what lies outside the
    /// original canvas (`region` of the outside: all of it, or one side).
    static func outside(_ svg: String, width w: Int, height h: Int, margin m: Int, region: String = "all") -> String {
        let (W, H) = (w + 2 * m, h + 2 * m)
        let root = #"width="\#(w).0" height="\#(h).0" viewBox="0 0 \#(w).0 \#(h).0""#
        let clip: String = switch region {
        case "left": "M\(-m) \(-m) H0 V\(h + m) H\(-m) Z"
        case "right": "M\(w) \(-m) H\(w + m) V\(h + m) H\(w) Z"
        case "top": "M\(-m) \(-m) H\(w + m) V0 H\(-m) Z"
        case "bottom": "M\(-m) \(h) H\(w + m) V\(h + m) H\(-m) Z"
        default: "M\(-m) \(-m) H\(w + m) V\(h + m) H\(-m) Z M0 0 V\(h) H\(w) V0 Z"
        }
        var text = svg.replacingOccurrences(of: root, with: #"width="\#(W)" height="\#(H)" viewBox="\#(-m) \#(-m) \#(W) \#(H)""#)
        let open = text.range(of: ">", range: text.range(of: "<svg ")!.upperBound..<text.endIndex)!
        text.insert(contentsOf: #"<defs><clipPath id="outside-canvas"><path clip-rule="evenodd" d="\#(clip)"/></clipPath></defs><g clip-path="url(#outside-canvas)">"#,
                    at: open.upperBound)
        text = text.replacingOccurrences(of: "</svg>", with: "</g></svg>")
        return text
    }

    /// An empty drawing of the enlarged size: what `outside` must render to when nothing overflows.
    static func blank(width w: Int, height h: Int, margin m: Int) -> String {
        #"<?xml version="1.0" encoding="UTF-8"?><svg xmlns="http://www.w3.org/2000/svg" width="\#(w + 2 * m)" height="\#(h + 2 * m)" viewBox="\#(-m) \#(-m) \#(w + 2 * m) \#(h + 2 * m)"></svg>"#
    }

    /// Every figure of the committed reports (quick, nightly and paper protocol) with the note its
    /// run's size calls for, the cheap experiments run afresh at the quick profile's size, and
    /// figures made to be hard to lay out.
    static func allFigures() throws -> [(name: String, figure: FigureData)] {
        var all: [(String, FigureData)] = []
        let reports = repository.appendingPathComponent("reports")
        for folder in try FileManager.default.contentsOfDirectory(atPath: reports.path).sorted() {
            let url = reports.appendingPathComponent(folder)
            guard FileManager.default.fileExists(atPath: url.appendingPathComponent("results.json").path) else { continue }
            let results = try ResultsFile.read(from: url)
            for outcome in results.experiments {
                for var figure in outcome.result?.figures ?? [] {
                    if figure.sampling == nil {
                        let sampling = FigureData.Sampling(profile: results.profile.rawValue, runs: outcome.runs, publishedRuns: outcome.publishedRuns,
                                                           sweepStride: outcome.sweepStride)
                        // Committed figures predate `sweepSymbol`; a figure of summaries is a sweep.
                        if figure.sweepSymbol == nil && !figure.series.contains(where: { $0.role == .run }) {
                            figure.sweepSymbol = figure.xLabel.range(of: " (").map { String(figure.xLabel[..<$0.lowerBound]) } ?? "gap"
                        }
                        if sampling.note(sweepSymbol: figure.sweepSymbol) != nil { figure.sampling = sampling }
                    }
                    all.append(("\(folder)/\(figure.id)", figure))
                }
            }
        }
        for id in cheapExperiments {
            for figure in try figures(id) { all.append(("fresh/\(figure.id)", figure)) }
        }
        return all + stressFigures().map { ("stress/\($0.id)", $0) }
    }

    /// Figures with long titles, labels, legends and extreme values.
    static func stressFigures() -> [FigureData] {
        let x = (0...50).map { Double($0) * 2_000 }
        let runs = (0..<3).map { r in FigureData.Series(label: "a run label that is long enough to wrap over several lines, r", role: .run,
                                                         x: x, y: x.map { 1e12 * (1 + Double(r)) + $0 }) }
        let many = (0..<12).map { k in FigureData.Series(label: "series \(k) with a long label WWWWWWWWWWWWWWWWWWWWWWWWWWWW", role: .summary,
                                                          x: [1e-9, 1e-3, 1e4], y: [-1e-7 * Double(k), 0, 2e-7], low: [-1, -1, -1], high: [1, 1, 1]) }
        let marks = [FigureData.Mark(x: 1e-9, y: nil, point: "g = 1e-09", reason: "no value, a very long reason that goes on and on and wraps"),
                     FigureData.Mark(x: 1e-3, y: 0, point: "g = 0.001", reason: "GD did not converge (oscillating, step ≥ 2/h_max)"),
                     FigureData.Mark(x: 1e4, y: 0, point: "g = 1e+04", reason: "GD did not converge (oscillating, step ≥ 2/h_max)")]
        let title = "A title far longer than any real one, with Wide Words Like WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW and more, "
            + "repeated: a title far longer than any real one (d = 5, n = 10, xi = 1, theta = 0.1, lam = 1e-3, step 5e-3, 10001 steps)"
        return [
            FigureData(id: "stress-runs", title: title, xLabel: String(repeating: "a long x label ", count: 8),
                       yLabel: String(repeating: "a long y label ", count: 6), series: runs, caption: "",
                       sweepSymbol: nil, sampling: .init(profile: "quick", runs: 1, publishedRuns: 1000, sweepStride: 50)),
            FigureData(id: "stress-legend", title: "Many entries", xLabel: "g", yLabel: "value", logX: true, series: many, caption: "",
                       yBounds: .unitInterval, sweepSymbol: "g", sampling: .init(profile: nil, runs: 2, publishedRuns: 10, sweepStride: 5),
                       marks: marks),
        ]
    }

    /// The pixel check: each figure is rendered as is (it must render, at its declared size) and
    /// on a canvas 200 px larger on every side with the original canvas clipped away; that second
    /// picture must be empty (byte-identical to rendering nothing at that size), so no text,
    /// line or marker reaches outside the canvas.
    @Test(.enabled(if: rsvgConvert != nil, "rsvg-convert not found: install librsvg2-bin (CI does) to check that figures render inside their canvas"))
    func everyFigureOfAReportRendersInsideItsCanvas() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("figure-overflow-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // FIGURE_TEST_KEEP=1 keeps the renders (also kept when the check fails).
        var failed = ProcessInfo.processInfo.environment["FIGURE_TEST_KEEP"] != nil
        defer { if failed { print("figure renders kept in \(folder.path)") } else { try? FileManager.default.removeItem(at: folder) } }
        let figures = try Self.allFigures()
        #expect(figures.count >= 40, "expected every figure of the committed reports and the fresh ones")
        let margin = 200
        let renderer = FigureRenderer()
        let svgs = figures.map { renderer.svg($0.figure) }
        let sizes = svgs.map(Self.canvas)
        var empty: [String: Data] = [:]
        for case let (w, h)? in sizes where empty["\(w)x\(h)"] == nil {
            empty["\(w)x\(h)"] = try Self.png(Self.blank(width: w, height: h, margin: margin), in: folder, name: "blank-\(w)x\(h)")
        }
        let blanks = empty
        // Two rsvg-convert processes at a time (one per core of the CI machine).
        let problems = Mutex([String]())
        DispatchQueue.concurrentPerform(iterations: 2) { lane in
            for k in stride(from: lane, to: figures.count, by: 2) {
                let (name, figure) = figures[k]
                let file = "\(k)-\(figure.id)"
                do {
                    guard let (w, h) = sizes[k], let blank = blanks["\(w)x\(h)"] else { throw RenderError(message: "no integer canvas size in the root element") }
                    let picture = try Self.png(svgs[k], in: folder, name: file)
                    if let size = Self.pngSize(picture), size != (w, h) { throw RenderError(message: "rendered at \(size), canvas \(w) x \(h)") }
                    if try Self.png(Self.outside(svgs[k], width: w, height: h, margin: margin), in: folder, name: "\(file)-outside") != blank {
                        let sides = try ["left", "right", "top", "bottom"].filter { side in
                            try Self.png(Self.outside(svgs[k], width: w, height: h, margin: margin, region: side), in: folder, name: "\(file)-\(side)") != blank
                        }
                        throw RenderError(message: "something is drawn outside the \(w) x \(h) canvas (\(sides.joined(separator: ", ")) side); "
                            + "see \(folder.path)/\(file)-outside.png")
                    }
                } catch {
                    problems.withLock { $0.append("\(name): \(error)") }
                }
            }
        }
        let found = problems.withLock { $0 }
        failed = failed || !found.isEmpty
        for problem in found { Issue.record(Comment(rawValue: problem)) }
    }

    /// The check itself must be able to fail: text past the right edge is caught, on that side.
    @Test(.enabled(if: rsvgConvert != nil, "rsvg-convert not found: install librsvg2-bin"))
    func theOverflowCheckCatchesTextPastTheEdge() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("figure-overflow-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let inside = ##"<svg xmlns="http://www.w3.org/2000/svg" width="100.0" height="50.0" viewBox="0 0 100.0 50.0"><rect x="0" y="0" width="100.0" height="50.0" fill="#ffffff"/><text x="95" y="25">overflowing text</text></svg>"##
        let blank = try Self.png(Self.blank(width: 100, height: 50, margin: 200), in: folder, name: "blank")
        #expect(try Self.png(Self.outside(inside, width: 100, height: 50, margin: 200), in: folder, name: "all") != blank)
        #expect(try Self.png(Self.outside(inside, width: 100, height: 50, margin: 200, region: "right"), in: folder, name: "right") != blank)
        #expect(try Self.png(Self.outside(inside, width: 100, height: 50, margin: 200, region: "left"), in: folder, name: "left") == blank)
        let fits = inside.replacingOccurrences(of: "overflowing text", with: "ok").replacingOccurrences(of: #"x="95""#, with: #"x="10""#)
        #expect(try Self.png(Self.outside(fits, width: 100, height: 50, margin: 200), in: folder, name: "fits") == blank)
    }

    /// CI installs rsvg-convert, so there the pixel check never skips.
    @Test func continuousIntegrationHasTheRenderer() {
        if ProcessInfo.processInfo.environment["CI"] != nil {
            #expect(Self.rsvgConvert != nil, "CI must install librsvg2-bin (rsvg-convert) so the figure overflow check runs")
        }
    }

    // MARK: - What the figures say

    @Test func reducedRunsSayHowTheyWereReducedInTheFigure() throws {
        let sweep = try Self.figures("fig8b")
        let note = "quick profile: 2 of 10 runs per point, every 5th d of the published grid"
        #expect(sweep.allSatisfy { $0.samplingNote == note }, "\(sweep.map(\.samplingNote))")
        #expect(Self.text(FigureRenderer().svg(sweep[0])).contains(note))
        let trajectory = try Self.figures("fig3b")[0]
        #expect(trajectory.samplingNote == "quick profile: 2 of 10 runs")
        // The published protocol carries no note, nor does a report of it.
        let full = try Self.figures("fig3b", ExperimentOptions(seed: 1, runs: 10, sweepStride: 1, profile: .paper))[0]
        #expect(full.sampling == nil && full.samplingNote == nil)
        let reproduced = try Self.figures("fig3b", ExperimentOptions(seed: 1, runs: 3, sweepStride: 1, profile: .paper))[0]
        #expect(reproduced.samplingNote == "reduced run: 3 of 10 runs")
        #expect(FigureData.Sampling(profile: "nightly", runs: 10, publishedRuns: 10, sweepStride: 2).note(sweepSymbol: "L")
            == "nightly profile: all 10 runs per point, every 2nd L of the published grid")
    }

    /// fig8b at d = 3: the step is above the stable bound, GD oscillates; its alignment (1.0) is
    /// marked, and the steps figure marks the point it has no value for instead of dropping it.
    @Test func pointsWhereGradientDescentDidNotConvergeAreMarked() throws {
        let figures = try Self.figures("fig8b")
        let alignment = try #require(figures.first { $0.id == "fig8b" }), steps = try #require(figures.first { $0.id == "fig8b-steps" })
        let mark = try #require(alignment.marks?.first)
        #expect(mark.point == "d = 3" && mark.x == 3 && mark.y != nil)
        #expect(mark.reason.contains("did not converge") && mark.reason.contains("oscillating"))
        let missing = try #require(steps.marks?.first { $0.point == "d = 3" })
        #expect(missing.y == nil && missing.reason.contains("oscillating"))
        #expect(!(steps.series.first { $0.role == .summary }?.x.contains(3) ?? true), "no value is drawn at d = 3")
        let svg = FigureRenderer().svg(alignment)
        #expect(Self.text(svg).contains("d = 3: GD did not converge (oscillating, step ≥ 2/h_max)"))
        #expect(svg.contains(##"r="5.5" fill="#ffffff""##), "a hollow marker at the point")
        #expect(Self.text(FigureRenderer().svg(steps)).contains("d = 3: no value, GD never converges"))
    }

    @Test func axesStayWithinTheQuantityAndNearTheData() throws {
        // Alignments computed as 1 + 2e-16 must not push the axis past 1 (it went to 1.2 and 1.0002).
        let gap = FigureData(id: "a", title: "t", xLabel: "x", yLabel: "alignment", series: [
            .init(label: "s", role: .summary, x: [0, 1, 2], y: [0.27, 0.9, 1.0000000000000002], low: [0.01, 0.8, 1], high: [0.78, 1, 1.0000000000000002]),
        ], caption: "", yBounds: .unitInterval)
        let gapTicks = Self.tickLabels(FigureRenderer().svg(gap), axis: "y")
        #expect(gapTicks.last == "1.0", "\(gapTicks)")
        let flat = FigureData(id: "b", title: "t", xLabel: "x", yLabel: "alignment", series: [
            .init(label: "s", role: .summary, x: [3, 50, 98], y: [1.0000000000000002, 0.9999, 0.99966]),
        ], caption: "", yBounds: .unitInterval)
        #expect(Self.tickLabels(FigureRenderer().svg(flat), axis: "y").allSatisfy { Double($0)! <= 1 })
        // Data ending at 10,001 do not get an axis to 12,000.
        let long = FigureData(id: "c", title: "t", xLabel: "iteration", yLabel: "y", series: [
            .init(label: "s", role: .summary, x: [0, 5000, 10001], y: [0, 0.5, 0.8]),
        ], caption: "")
        let xTicks = Self.tickLabels(FigureRenderer().svg(long), axis: "x")
        #expect(xTicks.last == "10,000" && !xTicks.contains("12,000"), "\(xTicks)")
    }

    @Test func everyAxisUsesOneNotation() throws {
        let steps = FigureData(id: "s", title: "t", xLabel: "d", yLabel: "steps", series: [
            .init(label: "s", role: .summary, x: [3, 28, 53, 78], y: [1000, 40000, 160000, 200000]),
        ], caption: "", yBounds: .nonNegative)
        let y = Self.tickLabels(FigureRenderer().svg(steps), axis: "y")
        #expect(y.contains("50,000") && y.contains("200,000") && !y.contains { $0.contains("e") }, "\(y)")
        let small = FigureData(id: "m", title: "t", xLabel: "x", yLabel: "y", series: [
            .init(label: "s", role: .summary, x: [0, 1], y: [0, 0.0012]),
        ], caption: "")
        let labels = Self.tickLabels(FigureRenderer().svg(small), axis: "y")
        #expect(Set(labels.map { $0.split(separator: ".").last?.count ?? 0 }).count == 1, "one number of decimals: \(labels)")
        #expect(!labels.contains { $0.contains("e") }, "\(labels)")
        let log = FigureData(id: "l", title: "t", xLabel: "x", yLabel: "y", logX: true, series: [
            .init(label: "s", role: .summary, x: [1e-7, 1e3], y: [0, 1]),
        ], caption: "")
        let x = Self.tickLabels(FigureRenderer().svg(log), axis: "x")
        #expect(x.allSatisfy { $0.contains("e") }, "a log axis beyond 1e-4...1e5 is all scientific: \(x)")
    }

    @Test func legendsSayEachThingOnce() throws {
        for figure in try Self.figures("fig6b") + Self.figures("gap") {
            let text = FigureRenderer().svg(figure)
            #expect(!text.contains("(with band)") && !text.contains("(mean, band"), "\(figure.id)")
        }
        #expect(try Self.figures("fig6b")[0].series[0].label == "GD on R_lin,L=d: mean of 2 runs, band min–max")
    }

    /// Fig. 1 overlays GD and SGD that differ in L, lam and step; the legend says so.
    @Test func overlaidCurvesStateWhatDiffers() throws {
        let labels = Set(try Self.figures("fig1", ExperimentOptions(seed: 1, runs: 1, profile: .quick))[0].series.filter { $0.role == .run }.map(\.label))
        #expect(labels == ["GD on R_inf (infinite L), lam = 0.01, step 1e-3", "SGD, L = 100, lam = 0.1, lr 1e-4"])
    }

    @Test func titlesWrapInsteadOfBeingClipped() throws {
        let steps = try #require(try Self.figures("fig6b").first { $0.id == "fig6b-steps" })
        let svg = FigureRenderer().svg(steps)
        let titleLines = svg.components(separatedBy: #"font-size="15" font-weight="bold">"#).count - 1
        #expect(titleLines == 2, "the long title takes two lines")
        #expect(svg.contains("<title>\(steps.title)</title>"), "the whole title is kept")
    }

    @Test func figuresDrawRunGroupsWithMeanBandTicksAndLegend() throws {
        let result = try StandIns.experiment.run(ExperimentOptions(seed: 1, runs: 3))
        let svg = FigureRenderer().svg(result.figures[0])
        #expect(Self.text(svg).contains("GD: mean of 3 runs, band min–max"))
        #expect(svg.contains("stroke-dasharray"))   // the reference line
        #expect(svg.contains("fill-opacity=\"0.18\""))   // the band
        #expect(svg.contains(">iteration<") && svg.contains(">200<"))
        let sweep = FigureRenderer().svg(result.figures[1])
        #expect(sweep.contains("&lt;toy &amp; co&gt;"))   // escaped title
        #expect(sweep.contains(">10<"))   // a decade tick on the log axis
        #expect(FigureRenderer().svg(result.figures[0]) == svg, "byte-reproducible")
    }
}
