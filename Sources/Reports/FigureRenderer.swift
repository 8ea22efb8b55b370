import Foundation
import PaperClaims

/// Draws a `FigureData` as a standalone SVG (no external tools) that renders on GitHub and in
/// browsers: axes with ticks and labels, a title, a legend, and per group of runs (series with
/// role `.run` sharing a label) thin run curves plus the group's mean in bold and a min–max
/// band across the runs. Summary series are bold with their own band; reference series dashed.
/// Output depends only on the data (fixed number formatting), so it is byte-reproducible.
public struct FigureRenderer: Sendable {
    /// Canvas width in pixels.
    public var width = 760.0
    /// Canvas height in pixels.
    public var height = 460.0
    /// The most points drawn per curve (longer curves are thinned evenly, keeping both ends).
    public var maximumPoints = 400

    /// A renderer with the default size.
    public init() {}

    private let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"]
    private let left = 78.0, top = 46.0, bottom = 62.0, legendWidth = 210.0

    /// A group of series drawn together (runs sharing a label, or one summary/reference series).
    struct Group {
        let label: String
        let role: FigureData.Series.Role
        var members: [FigureData.Series]
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
        // Data range, including bands.
        var xs: [Double] = [], ys: [Double] = []
        for s in figure.series {
            for (i, x) in s.x.enumerated() where i < s.y.count {
                guard x.isFinite, !figure.logX || x > 0 else { continue }
                xs.append(x)
                for y in [s.y[i], s.low?[safe: i], s.high?[safe: i]].compactMap({ $0 }) where y.isFinite { ys.append(y) }
            }
        }
        let xAxis = AxisTicks(minimum: xs.min() ?? 0, maximum: xs.max() ?? 1, logarithmic: figure.logX)
        let yAxis = AxisTicks(minimum: ys.min() ?? 0, maximum: ys.max() ?? 1, logarithmic: false)
        let plotRight = width - legendWidth - 16
        let plotBottom = height - bottom
        func px(_ x: Double) -> Double {
            let t = figure.logX ? (log10(x) - log10(xAxis.lower)) / (log10(xAxis.upper) - log10(xAxis.lower))
                                : (x - xAxis.lower) / (xAxis.upper - xAxis.lower)
            return left + t * (plotRight - left)
        }
        func py(_ y: Double) -> Double { plotBottom - (y - yAxis.lower) / (yAxis.upper - yAxis.lower) * (plotBottom - top) }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }

        var out: [String] = []
        out.append(##"<?xml version="1.0" encoding="UTF-8"?>"##)
        out.append(##"<svg xmlns="http://www.w3.org/2000/svg" width="\##(f(width))" height="\##(f(height))" viewBox="0 0 \##(f(width)) \##(f(height))" font-family="Helvetica, Arial, sans-serif" font-size="12">"##)
        out.append("<title>\(escape(figure.title))</title>")
        out.append("<desc>\(escape(figure.caption))</desc>")
        out.append(##"<rect x="0" y="0" width="\##(f(width))" height="\##(f(height))" fill="#ffffff"/>"##)
        // Centred on the whole picture (not the plot), so long titles use the legend's width too.
        out.append(##"<text x="\##(f(width / 2))" y="24" text-anchor="middle" font-size="15" font-weight="bold">\##(escape(figure.title))</text>"##)
        // Grid and ticks.
        out.append(##"<g stroke="#e6e6e6" stroke-width="1">"##)
        for t in xAxis.values where t >= xAxis.lower && t <= xAxis.upper {
            out.append(##"<line x1="\##(f(px(t)))" y1="\##(f(top))" x2="\##(f(px(t)))" y2="\##(f(plotBottom))"/>"##)
        }
        for t in yAxis.values where t >= yAxis.lower && t <= yAxis.upper {
            out.append(##"<line x1="\##(f(left))" y1="\##(f(py(t)))" x2="\##(f(plotRight))" y2="\##(f(py(t)))"/>"##)
        }
        out.append("</g>")
        out.append(##"<g fill="#333333">"##)
        for t in xAxis.values where t >= xAxis.lower && t <= xAxis.upper {
            out.append(##"<line x1="\##(f(px(t)))" y1="\##(f(plotBottom))" x2="\##(f(px(t)))" y2="\##(f(plotBottom + 5))" stroke="#333333"/>"##)
            out.append(##"<text x="\##(f(px(t)))" y="\##(f(plotBottom + 19))" text-anchor="middle">\##(escape(xAxis.label(t)))</text>"##)
        }
        for t in yAxis.values where t >= yAxis.lower && t <= yAxis.upper {
            out.append(##"<line x1="\##(f(left - 5))" y1="\##(f(py(t)))" x2="\##(f(left))" y2="\##(f(py(t)))" stroke="#333333"/>"##)
            out.append(##"<text x="\##(f(left - 8))" y="\##(f(py(t) + 4))" text-anchor="end">\##(escape(yAxis.label(t)))</text>"##)
        }
        out.append("</g>")
        out.append(##"<rect x="\##(f(left))" y="\##(f(top))" width="\##(f(plotRight - left))" height="\##(f(plotBottom - top))" fill="none" stroke="#333333"/>"##)
        out.append(##"<text x="\##(f((left + plotRight) / 2))" y="\##(f(height - 18))" text-anchor="middle" font-size="13">\##(escape(figure.xLabel))</text>"##)
        out.append(##"<text x="18" y="\##(f((top + plotBottom) / 2))" text-anchor="middle" font-size="13" transform="rotate(-90 18 \##(f((top + plotBottom) / 2)))">\##(escape(figure.yLabel))</text>"##)

        // Curves, clipped to the plot area.
        out.append(##"<clipPath id="plot-\##(escape(figure.id))"><rect x="\##(f(left))" y="\##(f(top))" width="\##(f(plotRight - left))" height="\##(f(plotBottom - top))"/></clipPath>"##)
        out.append(##"<g clip-path="url(#plot-\##(escape(figure.id)))" fill="none">"##)
        var legend: [(label: String, color: String, style: String)] = []
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
            out.append(##"<path d="M\##(upper.joined(separator: " L")) L\##(lower.joined(separator: " L")) Z" fill="\##(color)" fill-opacity="0.18" stroke="none"/>"##)
        }
        func markers(_ x: [Double], _ y: [Double], color: String, radius: Double) {
            guard x.count <= 60 else { return }
            for i in x.indices where i < y.count && valid(x[i], y[i]) {
                out.append(##"<circle cx="\##(f(px(x[i])))" cy="\##(f(py(y[i])))" r="\##(f(radius))" fill="\##(color)" stroke="none"/>"##)
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
                    out.append(##"<path d="\##(path(run.x, run.y))" stroke="\##(color)" stroke-width="0.8" stroke-opacity="0.45"/>"##)
                    if env == nil { markers(run.x, run.y, color: color, radius: 2.2) }
                }
                if let env {
                    out.append(##"<path d="\##(path(env.x, env.mean))" stroke="\##(color)" stroke-width="2.4"/>"##)
                    markers(env.x, env.mean, color: color, radius: 3)
                    legend.append(("\(group.label): mean of \(group.members.count) runs, band min–max", color, "bold"))
                } else {
                    legend.append(("\(group.label)\(group.members.count > 1 ? " (\(group.members.count) runs)" : "")", color, "thin"))
                }
            case .summary:
                for s in group.members {
                    if let low = s.low, let high = s.high { band(s.x, low, high, color: color) }
                    out.append(##"<path d="\##(path(s.x, s.y))" stroke="\##(color)" stroke-width="2.4"/>"##)
                    markers(s.x, s.y, color: color, radius: 3)
                }
                let hasBand = group.members.contains { $0.low != nil && $0.high != nil }
                legend.append((group.label + (hasBand ? " (with band)" : ""), color, "bold"))
            case .reference:
                for s in group.members {
                    out.append(##"<path d="\##(path(s.x, s.y))" stroke="#000000" stroke-width="1.4" stroke-dasharray="6 4"/>"##)
                }
                legend.append((group.label, "#000000", "dashed"))
            }
        }
        out.append("</g>")

        // Legend, to the right of the plot; long labels wrap.
        var y = top + 6
        let lx = plotRight + 14
        out.append(##"<g font-size="11">"##)
        for entry in legend {
            let dash = entry.style == "dashed" ? ##" stroke-dasharray="6 4""## : ""
            let widthAttr = entry.style == "thin" ? "1.2" : "2.6"
            out.append(##"<line x1="\##(f(lx))" y1="\##(f(y + 4))" x2="\##(f(lx + 22))" y2="\##(f(y + 4))" stroke="\##(entry.color)" stroke-width="\##(widthAttr)"\##(dash)/>"##)
            let lines = wrap(entry.label, width: 27)
            for (k, line) in lines.enumerated() {
                out.append(##"<text x="\##(f(lx + 28))" y="\##(f(y + 8 + Double(k) * 13))">\##(escape(line))</text>"##)
            }
            y += Double(lines.count - 1) * 13 + 20
        }
        out.append("</g>")
        out.append("</svg>")
        return out.joined(separator: "\n") + "\n"
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

    func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = [], current = ""
        for word in text.split(separator: " ") {
            if !current.isEmpty && current.count + 1 + word.count > width {
                lines.append(current)
                current = String(word)
            } else {
                current += (current.isEmpty ? "" : " ") + word
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
