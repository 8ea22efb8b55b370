import Foundation
import PaperClaims

/// Draws a `FigureData` as a standalone SVG (no external tools) that renders on GitHub and in
/// browsers: axes with ticks and labels, a title (wrapped, never clipped), a note when the data
/// come from a run smaller than the published protocol, a legend, and per group of runs (series
/// with role `.run` sharing a label) thin run curves plus the group's mean in bold and a min–max
/// band across the runs. Summary series are bold with their own band; reference series dashed;
/// marked points (runs that did not converge, points without a value) red, with a legend entry.
/// Text is laid out from conservative character widths so it stays inside the canvas, which grows
/// downwards as needed. Output depends only on the data (fixed number formatting), so it is
/// byte-reproducible.
public struct FigureRenderer: Sendable {
    /// Canvas width in pixels.
    public var width = 760.0
    /// Canvas height in pixels for a one-line title and legend that fit beside the plot; more
    /// title, note or legend lines make the canvas taller (the plot keeps its size).
    public var height = 460.0
    /// The most points drawn per curve (longer curves are thinned evenly, keeping both ends).
    public var maximumPoints = 400

    /// A renderer with the default size.
    public init() {}

    private let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"]
    private let legendWidth = 210.0
    /// Marked points and the note on reduced runs.
    private let alertColor = "#c00000", noteColor = "#9a3d00"

    /// A group of series drawn together (runs sharing a label, or one summary/reference series).
    struct Group {
        let label: String
        let role: FigureData.Series.Role
        var members: [FigureData.Series]
    }

    /// One legend entry: its sample (how it is drawn) and its text.
    struct LegendEntry {
        enum Sample { case thin, bold, boldWithBand, dashed, hollowMarker, cross }
        let label: String
        let color: String
        let sample: Sample
    }

    /// The mean and min–max envelope of runs sharing an x grid (nil when grids differ or there is one run).
    static func envelope(_ runs: [FigureData.Series]) -> (x: [Double], mean: [Double], low: [Double], high: [Double])? {
        guard runs.count > 1, let x = runs.first?.x, runs.allSatisfy({ $0.x == x && $0.y.count == x.count }) else { return nil }
        var mean = [Double](repeating: 0, count: x.count), low = mean, high = mean
        for i in x.indices {
            let values = runs.map { $0.y[i] }.filter(\.isFinite)
            guard !values.isEmpty else { mean[i] = .nan; low[i] = .nan; high[i] = .nan; continue }
            mean[i] = values.reduce(0, +) / Double(values.count)
            low[i] = values.min()!
            high[i] = values.max()!
        }
        return (x, mean, low, high)
    }

    /// The SVG document for `figure`.
    public func svg(_ figure: FigureData) -> String {
        // Group series: runs by label; summaries and references individually.
        var groups: [Group] = []
        for s in figure.series {
            if s.role == .run, let i = groups.firstIndex(where: { $0.role == .run && $0.label == s.label }) {
                groups[i].members.append(s)
            } else {
                groups.append(Group(label: s.label, role: s.role, members: [s]))
            }
        }
        let marks = figure.marks ?? []
        // Data range, including bands and marks.
        var xs: [Double] = [], ys: [Double] = []
        for s in figure.series {
            for (i, x) in s.x.enumerated() where i < s.y.count {
                guard x.isFinite, !figure.logX || x > 0 else { continue }
                xs.append(x)
                for y in [s.y[i], s.low?[safe: i], s.high?[safe: i]].compactMap({ $0 }) where y.isFinite { ys.append(y) }
            }
        }
        for mark in marks where mark.x.isFinite && (!figure.logX || mark.x > 0) {
            xs.append(mark.x)
            if let y = mark.y, y.isFinite { ys.append(y) }
        }
        let xAxis = AxisTicks(minimum: xs.min() ?? 0, maximum: xs.max() ?? 1, logarithmic: figure.logX)
        let yAxis = AxisTicks(minimum: ys.min() ?? 0, maximum: ys.max() ?? 1, logarithmic: false,
                              bounds: (figure.yBounds?.lower, figure.yBounds?.upper), padding: 0.04)

        // Vertical layout: title lines, the note on a reduced run, then the plot.
        let titleLines = TextMetrics.balancedWrap(figure.title, size: 15, bold: true, width: width - 24)
        let noteLines = figure.samplingNote.map { TextMetrics.balancedWrap($0, size: 12, bold: false, width: width - 24) } ?? []
        var baseline = 24.0
        var header: [(text: String, y: Double, note: Bool)] = []
        for (k, line) in titleLines.enumerated() {
            if k > 0 { baseline += 19 }
            header.append((line, baseline, false))
        }
        for line in noteLines {
            baseline += 17
            header.append((line, baseline, true))
        }
        let top = baseline + 22
        let plotHeight = height - 108
        let plotBottom = top + plotHeight
        // Horizontal layout: the y label, the tick labels, the plot, the legend.
        let yLabelLines = TextMetrics.wrap(figure.yLabel, size: 13, bold: false, width: plotHeight)
        let tickWidth = yAxis.labels.map { TextMetrics.width($0, size: 12, bold: false) }.max() ?? 0
        let left = max(78, (18 + 16 * Double(yLabelLines.count - 1) + 6 + tickWidth + 8).rounded(.up))
        let plotRight = width - legendWidth - 16
        let xLabelLines = TextMetrics.wrap(figure.xLabel, size: 13, bold: false, width: plotRight - left)
        let lx = plotRight + 14
        let legendTextWidth = width - 8 - (lx + 28)

        func px(_ x: Double) -> Double {
            let t = figure.logX ? (log10(x) - log10(xAxis.lower)) / (log10(xAxis.upper) - log10(xAxis.lower))
                                : (x - xAxis.lower) / (xAxis.upper - xAxis.lower)
            return left + t * (plotRight - left)
        }
        func py(_ y: Double) -> Double { plotBottom - (y - yAxis.lower) / (yAxis.upper - yAxis.lower) * (plotBottom - top) }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }

        var body: [String] = []
        for line in header {
            body.append(line.note
                ? ##"<text x="\##(f(width / 2))" y="\##(f(line.y))" text-anchor="middle" font-size="12" font-style="italic" fill="\##(noteColor)">\##(escape(line.text))</text>"##
                : ##"<text x="\##(f(width / 2))" y="\##(f(line.y))" text-anchor="middle" font-size="15" font-weight="bold">\##(escape(line.text))</text>"##)
        }
        // Grid and ticks.
        body.append(##"<g stroke="#e6e6e6" stroke-width="1">"##)
        for t in xAxis.values {
            body.append(##"<line x1="\##(f(px(t)))" y1="\##(f(top))" x2="\##(f(px(t)))" y2="\##(f(plotBottom))"/>"##)
        }
        for t in yAxis.values {
            body.append(##"<line x1="\##(f(left))" y1="\##(f(py(t)))" x2="\##(f(plotRight))" y2="\##(f(py(t)))"/>"##)
        }
        body.append("</g>")
        body.append(##"<g fill="#333333">"##)
        for (t, label) in zip(xAxis.values, xAxis.labels) {
            body.append(##"<line x1="\##(f(px(t)))" y1="\##(f(plotBottom))" x2="\##(f(px(t)))" y2="\##(f(plotBottom + 5))" stroke="#333333"/>"##)
            body.append(##"<text x="\##(f(px(t)))" y="\##(f(plotBottom + 19))" text-anchor="middle">\##(escape(label))</text>"##)
        }
        for (t, label) in zip(yAxis.values, yAxis.labels) {
            body.append(##"<line x1="\##(f(left - 5))" y1="\##(f(py(t)))" x2="\##(f(left))" y2="\##(f(py(t)))" stroke="#333333"/>"##)
            body.append(##"<text x="\##(f(left - 8))" y="\##(f(py(t) + 4))" text-anchor="end">\##(escape(label))</text>"##)
        }
        body.append("</g>")
        body.append(##"<rect x="\##(f(left))" y="\##(f(top))" width="\##(f(plotRight - left))" height="\##(f(plotBottom - top))" fill="none" stroke="#333333"/>"##)
        for (k, line) in xLabelLines.enumerated() {
            body.append(##"<text x="\##(f((left + plotRight) / 2))" y="\##(f(plotBottom + 44 + 16 * Double(k)))" text-anchor="middle" font-size="13">\##(escape(line))</text>"##)
        }
        let middle = (top + plotBottom) / 2
        for (k, line) in yLabelLines.enumerated() {
            let x = 18 + 16 * Double(k)
            body.append(##"<text x="\##(f(x))" y="\##(f(middle))" text-anchor="middle" font-size="13" transform="rotate(-90 \##(f(x)) \##(f(middle)))">\##(escape(line))</text>"##)
        }

        // Curves, clipped to the plot area.
        body.append(##"<clipPath id="plot-\##(escape(figure.id))"><rect x="\##(f(left))" y="\##(f(top))" width="\##(f(plotRight - left))" height="\##(f(plotBottom - top))"/></clipPath>"##)
        body.append(##"<g clip-path="url(#plot-\##(escape(figure.id)))" fill="none">"##)
        var legend: [LegendEntry] = []
        var colorIndex = 0
        func valid(_ x: Double, _ y: Double) -> Bool { x.isFinite && y.isFinite && (!figure.logX || x > 0) }
        func path(_ x: [Double], _ y: [Double]) -> String {
            var d = "", pen = false
            for i in thin(x.indices) where i < y.count {
                guard valid(x[i], y[i]) else { pen = false; continue }
                d += (pen ? " L" : (d.isEmpty ? "M" : " M")) + "\(f(px(x[i]))) \(f(py(y[i])))"
                pen = true
            }
            return d
        }
        func band(_ x: [Double], _ low: [Double], _ high: [Double], color: String) {
            let idx = thin(x.indices).filter { $0 < low.count && $0 < high.count && valid(x[$0], low[$0]) && valid(x[$0], high[$0]) }
            guard idx.count > 1 else { return }
            let upper = idx.map { "\(f(px(x[$0]))) \(f(py(high[$0])))" }
            let lower = idx.reversed().map { "\(f(px(x[$0]))) \(f(py(low[$0])))" }
            body.append(##"<path d="M\##(upper.joined(separator: " L")) L\##(lower.joined(separator: " L")) Z" fill="\##(color)" fill-opacity="0.18" stroke="none"/>"##)
        }
        func markers(_ x: [Double], _ y: [Double], color: String, radius: Double) {
            guard x.count <= 60 else { return }
            for i in x.indices where i < y.count && valid(x[i], y[i]) {
                body.append(##"<circle cx="\##(f(px(x[i])))" cy="\##(f(py(y[i])))" r="\##(f(radius))" fill="\##(color)" stroke="none"/>"##)
            }
        }
        for group in groups {
            let color = group.role == .reference ? "#000000" : palette[colorIndex % palette.count]
            if group.role != .reference { colorIndex += 1 }
            switch group.role {
            case .run:
                let env = Self.envelope(group.members)
                if let env { band(env.x, env.low, env.high, color: color) }
                for run in group.members {
                    body.append(##"<path d="\##(path(run.x, run.y))" stroke="\##(color)" stroke-width="0.8" stroke-opacity="0.45"/>"##)
                    if env == nil { markers(run.x, run.y, color: color, radius: 2.2) }
                }
                if let env {
                    body.append(##"<path d="\##(path(env.x, env.mean))" stroke="\##(color)" stroke-width="2.4"/>"##)
                    markers(env.x, env.mean, color: color, radius: 3)
                    legend.append(LegendEntry(label: "\(group.label): mean of \(group.members.count) runs, band min–max", color: color, sample: .boldWithBand))
                } else {
                    legend.append(LegendEntry(label: "\(group.label)\(group.members.count > 1 ? " (\(group.members.count) runs)" : "")", color: color, sample: .thin))
                }
            case .summary:
                for s in group.members {
                    if let low = s.low, let high = s.high { band(s.x, low, high, color: color) }
                    body.append(##"<path d="\##(path(s.x, s.y))" stroke="\##(color)" stroke-width="2.4"/>"##)
                    markers(s.x, s.y, color: color, radius: 3)
                }
                let hasBand = group.members.contains { $0.low != nil && $0.high != nil }
                legend.append(LegendEntry(label: group.label, color: color, sample: hasBand ? .boldWithBand : .bold))
            case .reference:
                for s in group.members {
                    body.append(##"<path d="\##(path(s.x, s.y))" stroke="#000000" stroke-width="1.4" stroke-dasharray="6 4"/>"##)
                }
                legend.append(LegendEntry(label: group.label, color: "#000000", sample: .dashed))
            }
        }
        body.append("</g>")

        // Marked points, above the curves (not clipped: a point without a value sits at the top).
        if !marks.isEmpty {
            body.append(##"<g stroke="\##(alertColor)" stroke-width="2">"##)
            for mark in marks where mark.x.isFinite && (!figure.logX || mark.x > 0) {
                let x = px(mark.x)
                if let y = mark.y, y.isFinite {
                    body.append(##"<circle cx="\##(f(x))" cy="\##(f(py(y)))" r="5.5" fill="#ffffff"/>"##)
                } else {
                    body.append(##"<line x1="\##(f(x))" y1="\##(f(top + 4))" x2="\##(f(x))" y2="\##(f(plotBottom))" stroke-width="1" stroke-dasharray="2 3" stroke-opacity="0.6"/>"##)
                    body.append(##"<path d="M\##(f(x - 5)) \##(f(top + 4)) L\##(f(x + 5)) \##(f(top + 14)) M\##(f(x + 5)) \##(f(top + 4)) L\##(f(x - 5)) \##(f(top + 14))" fill="none"/>"##)
                }
            }
            body.append("</g>")
            for reason in marks.map(\.reason).uniqued() {
                let same = marks.filter { $0.reason == reason }
                let valued = same.contains { $0.y?.isFinite == true }
                legend.append(LegendEntry(label: "\(Self.pointList(same.map(\.point))): \(reason)", color: alertColor,
                                          sample: valued ? .hollowMarker : .cross))
            }
        }

        // Legend, to the right of the plot; long labels wrap.
        var y = top + 6
        body.append(##"<g font-size="11">"##)
        for entry in legend {
            let (a, b, mid) = (lx, lx + 22, y + 4)
            switch entry.sample {
            case .thin, .bold, .dashed, .boldWithBand:
                if entry.sample == .boldWithBand {
                    body.append(##"<rect x="\##(f(a))" y="\##(f(mid - 5))" width="22.0" height="10.0" fill="\##(entry.color)" fill-opacity="0.18"/>"##)
                }
                let dash = entry.sample == .dashed ? ##" stroke-dasharray="6 4""## : ""
                let widthAttr = entry.sample == .thin ? "1.2" : entry.sample == .dashed ? "1.4" : "2.6"
                body.append(##"<line x1="\##(f(a))" y1="\##(f(mid))" x2="\##(f(b))" y2="\##(f(mid))" stroke="\##(entry.color)" stroke-width="\##(widthAttr)"\##(dash)/>"##)
            case .hollowMarker:
                body.append(##"<circle cx="\##(f(a + 11))" cy="\##(f(mid))" r="5.0" fill="#ffffff" stroke="\##(entry.color)" stroke-width="2"/>"##)
            case .cross:
                body.append(##"<path d="M\##(f(a + 6)) \##(f(mid - 5)) L\##(f(a + 16)) \##(f(mid + 5)) M\##(f(a + 16)) \##(f(mid - 5)) L\##(f(a + 6)) \##(f(mid + 5))" stroke="\##(entry.color)" stroke-width="2" fill="none"/>"##)
            }
            let lines = TextMetrics.wrap(entry.label, size: 11, bold: false, width: legendTextWidth)
            let fill = entry.color == alertColor ? ##" fill="\##(alertColor)""## : ""
            for (k, line) in lines.enumerated() {
                body.append(##"<text x="\##(f(lx + 28))" y="\##(f(y + 8 + Double(k) * 13))"\##(fill)>\##(escape(line))</text>"##)
            }
            y += Double(lines.count - 1) * 13 + 20
        }
        body.append("</g>")

        let canvasHeight = max(plotBottom + 62 + 16 * Double(xLabelLines.count - 1), y + 6).rounded(.up)
        var out: [String] = []
        out.append(##"<?xml version="1.0" encoding="UTF-8"?>"##)
        out.append(##"<svg xmlns="http://www.w3.org/2000/svg" width="\##(f(width))" height="\##(f(canvasHeight))" viewBox="0 0 \##(f(width)) \##(f(canvasHeight))" font-family="Helvetica, Arial, sans-serif" font-size="12">"##)
        out.append("<title>\(escape(figure.title))</title>")
        out.append("<desc>\(escape([figure.caption, figure.samplingNote.map { "(\($0).)" }].compactMap { $0 }.joined(separator: " ")))</desc>")
        out.append(##"<rect x="0" y="0" width="\##(f(width))" height="\##(f(canvasHeight))" fill="#ffffff"/>"##)
        out += body
        out.append("</svg>")
        return out.joined(separator: "\n") + "\n"
    }

    /// "d = 3, 8" for the points "d = 3" and "d = 8" (one symbol stated once), else the points joined.
    static func pointList(_ points: [String]) -> String {
        let parts = points.map { $0.components(separatedBy: " = ") }
        if parts.count > 1, parts.allSatisfy({ $0.count == 2 && $0[0] == parts[0][0] }) {
            return "\(parts[0][0]) = " + parts.map { $0[1] }.joined(separator: ", ")
        }
        return points.joined(separator: ", ")
    }

    /// At most `maximumPoints` indices, evenly spaced, always including both ends.
    func thin(_ indices: Range<Int>) -> [Int] {
        let n = indices.count
        guard n > maximumPoints, maximumPoints > 1 else { return Array(indices) }
        var chosen: [Int] = []
        for k in 0..<maximumPoints {
            let i = indices.lowerBound + Int((Double(k) * Double(n - 1) / Double(maximumPoints - 1)).rounded())
            if chosen.last != i { chosen.append(i) }
        }
        return chosen
    }

    func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

/// Conservative text widths for laying out SVG text without a font engine: advance widths of
/// DejaVu Sans (wider than Helvetica and Arial, the fonts the SVG asks for, and the usual
/// fallback), bold 12% wider, unknown characters one em, plus 3%.
enum TextMetrics {
    /// Advance widths of printable ASCII (32...126) in 1/2048 em, DejaVu Sans Book.
    private static let ascii: [Int] = [
        651, 821, 942, 1716, 1303, 1946, 1597, 563, 799, 799, 1024, 1716, 651, 739, 651, 690,     // space ! " # $ % & ' ( ) * + , - . /
        1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 690, 690, 1716, 1716, 1716, 1087,   // 0-9 : ; < = > ?
        2048, 1401, 1405, 1430, 1577, 1294, 1178, 1587, 1540, 604, 604, 1343, 1141, 1767, 1532, 1612,  // @ A-O
        1235, 1612, 1423, 1300, 1251, 1499, 1401, 2025, 1403, 1251, 1403, 799, 690, 799, 1716, 1024,   // P-Z [ \ ] ^ _
        1024, 1255, 1300, 1126, 1300, 1260, 721, 1300, 1298, 569, 569, 1186, 569, 1995, 1298, 1253,    // ` a-o
        1300, 1300, 842, 1067, 803, 1298, 1212, 1675, 1212, 1212, 1075, 1303, 690, 1303, 1716,         // p-z { | } ~
    ]
    /// A few non-ASCII characters the figures use, in 1/2048 em.
    private static let other: [Character: Int] = ["\u{A0}": 651, "–": 1024, "—": 2048, "≥": 1716, "≤": 1716, "×": 1716, "±": 1716, "−": 1716, "∞": 1716]

    /// The width in pixels of `text` at font size `size`.
    static func width(_ text: String, size: Double, bold: Bool) -> Double {
        var units = 0
        for c in text {
            if let a = c.asciiValue, a >= 32, a <= 126 { units += ascii[Int(a) - 32] } else { units += other[c] ?? 2048 }
        }
        return Double(units) / 2048 * size * (bold ? 1.12 : 1) * 1.03
    }

    /// `text` broken at spaces (not those around " = ") into lines at most `width` pixels wide (a
    /// word wider than that is broken between characters).
    static func wrap(_ text: String, size: Double, bold: Bool, width limit: Double) -> [String] {
        var lines: [String] = [], current = ""
        func fits(_ s: String) -> Bool { width(s, size: size, bold: bold) <= limit }
        // "theta = 2" stays on one line: the spaces around "=" do not break.
        let glued = text.replacingOccurrences(of: " = ", with: "\u{A0}=\u{A0}")
        for word in glued.split(separator: " ").map(String.init) {
            let candidate = current.isEmpty ? word : current + " " + word
            if fits(candidate) { current = candidate; continue }
            if !current.isEmpty { lines.append(current) }
            current = ""
            for c in word {
                if !current.isEmpty && !fits(current + String(c)) { lines.append(current); current = "" }
                current.append(c)
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines.isEmpty ? [""] : lines.map { $0.replacingOccurrences(of: "\u{A0}", with: " ") }
    }

    /// `wrap` with lines of about equal width: the narrowest limit (to a pixel) that still gives
    /// as few lines as `width` does, so a title does not end with one word on its own line.
    static func balancedWrap(_ text: String, size: Double, bold: Bool, width limit: Double) -> [String] {
        let greedy = wrap(text, size: size, bold: bold, width: limit)
        guard greedy.count > 1 else { return greedy }
        var low = 0.0, high = limit.rounded(.down)
        while high - low > 1 {
            let middle = ((low + high) / 2).rounded(.down)
            if wrap(text, size: size, bold: bold, width: middle).count <= greedy.count { high = middle } else { low = middle }
        }
        return wrap(text, size: size, bold: bold, width: high)
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}

extension Array where Element: Hashable {
    /// The elements in order, each once.
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
