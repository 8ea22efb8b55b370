import Foundation
import PaperClaims

/// The headline numbers of one experiment under several seeds. Each seed draws its own
/// covariance (or spike), so a single seed's numbers describe one S; their quartiles over seeds
/// say how much of a finding belongs to the protocol rather than to the draw.
public struct SeedSpread: Codable, Equatable, Sendable {
    /// One seed's headline numbers.
    public struct Row: Codable, Equatable, Sendable {
        /// The seed (the covariance drawn).
        public let seed: UInt64
        /// Median and minimum final alignment over the runs.
        public let medianAlignment, minimumAlignment: Double
        /// Runs that met the convergence criterion within the published budget, of `runs`.
        public let converged, runs: Int
        /// Median steps the runs needed to meet the criterion, over the runs where it was measured.
        public let medianStepsNeeded: Double?

        /// A row from an experiment's result.
        public init(seed: UInt64, result: ExperimentResult) {
            self.seed = seed
            let finals = result.runs.map(\.finalAlignment).filter(\.isFinite)
            medianAlignment = SeedSpread.quantile(finals, 0.5)
            minimumAlignment = finals.min() ?? .nan
            converged = result.runs.filter { $0.outcome == .converged }.count
            runs = result.runs.count
            let needed = result.runs.compactMap(\.stepsNeeded).map(Double.init)
            medianStepsNeeded = needed.isEmpty ? nil : SeedSpread.quantile(needed, 0.5)
        }
    }

    /// One row per seed that completed, first seed first.
    public let rows: [Row]
    /// Seeds asked for (more than `rows.count` if the run was interrupted or a seed failed).
    public let requested: Int

    /// The spread of `rows`.
    public init(rows: [Row], requested: Int) {
        self.rows = rows
        self.requested = requested
    }

    /// The q-quantile by linear interpolation between order statistics (NaN for no values).
    public static func quantile(_ values: [Double], _ q: Double) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        let h = q * Double(sorted.count - 1)
        let lower = Int(h.rounded(.down)), upper = min(lower + 1, sorted.count - 1)
        return sorted[lower] + (h - Double(lower)) * (sorted[upper] - sorted[lower])
    }

    /// "median [q1, q3]" of `values`.
    static func quartiles(_ values: [Double]) -> String {
        guard !values.isEmpty else { return "–" }
        return "\(ReportFormat.number(quantile(values, 0.5))) [\(ReportFormat.number(quantile(values, 0.25))), \(ReportFormat.number(quantile(values, 0.75)))]"
    }

    /// The Markdown table: one row per seed, then median and quartiles over the seeds.
    public var markdown: String {
        var md = ["**Over \(rows.count) covariances** (seeds \(rows.first.map { String($0.seed) } ?? "?")–\(rows.last.map { String($0.seed) } ?? "?")"
                  + (rows.count < requested ? ", \(requested - rows.count) of \(requested) requested did not complete" : "")
                  + "; each seed draws its own S and runs the whole protocol):", "",
                  "| Seed | Final alignment, median (min) | Converged in the published budget | Steps needed, median |", "|---|---|---|---|"]
        for r in rows {
            md.append("| \(r.seed) | \(ReportFormat.number(r.medianAlignment)) (\(ReportFormat.number(r.minimumAlignment))) | \(r.converged) of \(r.runs) | \(ReportFormat.number(r.medianStepsNeeded)) |")
        }
        md.append("| **median [q1, q3] over seeds** | \(Self.quartiles(rows.map(\.medianAlignment))) | "
                  + "\(Self.quartiles(rows.map { Double($0.converged) / Double(max($0.runs, 1)) })) (share) | "
                  + "\(Self.quartiles(rows.compactMap(\.medianStepsNeeded))) |")
        return md.joined(separator: "\n")
    }
}
