/// The data of one figure, drawn by the report generator: several curves (one per run, or one
/// per statistic) over a shared x axis. The claims layer fills it; it knows nothing about SVG.
public struct FigureData: Sendable, Codable, Equatable {
    /// A file-name-safe identifier, e.g. `fig3b`.
    public let id: String
    /// The figure's title.
    public let title: String
    /// The x axis label.
    public let xLabel: String
    /// The y axis label.
    public let yLabel: String
    /// Whether the x axis is logarithmic.
    public let logX: Bool
    /// The curves.
    public let series: [Series]
    /// A sentence under the figure (parameters, what to look for).
    public let caption: String
    /// The values the plotted quantity can take (an alignment lies in [0, 1]): the y axis never
    /// runs past them. nil: unbounded.
    public var yBounds: Bounds?
    /// The swept quantity of a figure over a published grid (e.g. "L", "d"), for the note on a
    /// thinned sweep; nil for figures against iterations.
    public var sweepSymbol: String?
    /// How a run smaller than the published protocol sampled it (runs, sweep stride, profile),
    /// printed in the figure itself; nil for the published protocol.
    public var sampling: Sampling?
    /// Points that must not pass for ordinary ones: a value behind which runs oscillated at an
    /// unstable step or diverged, or a sweep point left out for lack of a value. Drawn apart
    /// (red) and explained in the legend; nil: none.
    public var marks: [Mark]?

    /// A figure with every field given.
    public init(id: String, title: String, xLabel: String, yLabel: String, logX: Bool = false, series: [Series], caption: String,
                yBounds: Bounds? = nil, sweepSymbol: String? = nil, sampling: Sampling? = nil, marks: [Mark]? = nil) {
        self.id = id
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.logX = logX
        self.series = series
        self.caption = caption
        self.yBounds = yBounds
        self.sweepSymbol = sweepSymbol
        self.sampling = sampling
        self.marks = marks
    }

    /// The note a reduced run prints under the title (nil for the published protocol).
    public var samplingNote: String? { sampling?.note(sweepSymbol: sweepSymbol) }

    /// The range of values a quantity can take; a nil end is unbounded.
    public struct Bounds: Sendable, Codable, Equatable {
        /// The smallest value, if any.
        public let lower: Double?
        /// The largest value, if any.
        public let upper: Double?

        /// Bounds [lower, upper].
        public init(lower: Double?, upper: Double?) {
            self.lower = lower
            self.upper = upper
        }

        /// [0, 1]: an alignment |cos|.
        public static let unitInterval = Bounds(lower: 0, upper: 1)
        /// [0, inf): counts, distances.
        public static let nonNegative = Bounds(lower: 0, upper: nil)
    }

    /// How a run smaller (or larger) than the published protocol sampled it, so the figure can say
    /// that it shows a reduced run: reduced runs can show what the full protocol does not.
    public struct Sampling: Sendable, Codable, Equatable {
        /// The budget profile that chose the size ("quick", "nightly"), or nil when chosen by hand.
        public let profile: String?
        /// Runs per configuration here.
        public let runs: Int
        /// Runs per configuration in the paper.
        public let publishedRuns: Int
        /// Every k-th point of the published sweep grid was used (1: all).
        public let sweepStride: Int

        /// A sampling description.
        public init(profile: String?, runs: Int, publishedRuns: Int, sweepStride: Int) {
            self.profile = profile
            self.runs = runs
            self.publishedRuns = publishedRuns
            self.sweepStride = sweepStride
        }

        /// The line printed under the title of a figure over `sweepSymbol` (nil: against
        /// iterations), e.g. "quick profile: 2 of 10 runs per point, every 5th L of the published
        /// grid"; nil when the figure shows the published protocol.
        public func note(sweepSymbol: String?) -> String? {
            let thinned = sweepSymbol != nil && sweepStride > 1
            guard runs != publishedRuns || thinned else { return nil }
            let smaller = runs < publishedRuns || thinned
            let who = profile.flatMap { $0 == "paper" ? nil : "\($0) profile" } ?? (smaller ? "reduced run" : "larger run")
            let count = runs < publishedRuns ? "\(runs) of \(publishedRuns) runs"
                : runs == publishedRuns ? "all \(runs) runs" : "\(runs) runs (paper: \(publishedRuns))"
            var text = "\(who): \(count)" + (sweepSymbol != nil ? " per point" : "")
            if let symbol = sweepSymbol, thinned { text += ", every \(Self.ordinal(sweepStride)) \(symbol) of the published grid" }
            return text
        }

        /// "2nd", "3rd", "5th", "11th", "21st".
        static func ordinal(_ n: Int) -> String {
            let suffix = (11...13).contains(n % 100) ? "th" : [1: "st", 2: "nd", 3: "rd"][n % 10] ?? "th"
            return "\(n)\(suffix)"
        }
    }

    /// One curve: points (x, y), and optionally a band [low, high] at each point.
    public struct Series: Sendable, Codable, Equatable {
        /// What the curve is: one run of several (drawn thin; the report adds their mean and
        /// band), a summary (drawn bold, with its band), or a reference line.
        public enum Role: String, Sendable, Codable { case run, summary, reference }
        /// The legend label; runs of one group share a label (e.g. "SGD, L = 100").
        public let label: String
        /// How it is drawn.
        public let role: Role
        /// x values.
        public let x: [Double]
        /// y values.
        public let y: [Double]
        /// Lower ends of the band, if any.
        public let low: [Double]?
        /// Upper ends of the band, if any.
        public let high: [Double]?
        /// A curve.
        public init(label: String, role: Role, x: [Double], y: [Double], low: [Double]? = nil, high: [Double]? = nil) {
            self.label = label
            self.role = role
            self.x = x
            self.y = y
            self.low = low
            self.high = high
        }
    }

    /// A marked point of a figure: where the value is not what it seems, or where there is none.
    public struct Mark: Sendable, Codable, Equatable {
        /// The x value.
        public let x: Double
        /// The plotted value there (a hollow red marker), or nil if the point has no value and was
        /// left out of the curve (a red cross at the top of the plot).
        public let y: Double?
        /// The point, e.g. "d = 3".
        public let point: String
        /// Why it is marked, e.g. "GD did not converge (oscillating)"; marks with the same reason
        /// share one legend entry.
        public let reason: String

        /// A marked point.
        public init(x: Double, y: Double?, point: String, reason: String) {
            self.x = x
            self.y = y
            self.point = point
            self.reason = reason
        }
    }
}
