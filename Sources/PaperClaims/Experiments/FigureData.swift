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

    /// A figure with every field given.
    public init(id: String, title: String, xLabel: String, yLabel: String, logX: Bool = false, series: [Series], caption: String) {
        self.id = id
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.logX = logX
        self.series = series
        self.caption = caption
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
}
