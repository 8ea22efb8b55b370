import Foundation
import PropertyEngine
import Statistics

/// Decides, claim by claim, whether a current run is statistically *worse* than a baseline —
/// not merely different — at a stated family-wise α (Bonferroni over the compared statistical
/// claims). The rules (also in docs/REPORTS.md):
///
/// - Any claim: a verdict of *fails* or *error* where the baseline's was neither is a regression
///   (a universal counterexample, or a statistical claim rejected at its own α).
/// - Statistical rate claims: one-sided two-proportion z-test (pooled) that the current success
///   rate is below (for `atLeast` claims; above for `atMost`) the baseline's; regression if
///   p < α / m, m = number of statistical claims compared.
/// - Statistical mean claims: one-sided Welch t-test on the means, with standard errors
///   recovered from the reported Student-t intervals; regression if p < α / m.
/// - A claim in the baseline that is missing, not run or interrupted in the current run is
///   reported as missing (a regression unless missing claims are allowed); new claims are noted.
/// - A claim whose decision rule changed (threshold, indifference, kind) is not compared.
///
/// The two-sample tests treat each run's trials as a fixed sample; the sequential tests stopped
/// early, which makes these p-values approximate (see docs/REPORTS.md).
public struct ResultsComparison: Sendable {
    /// What the comparison concluded for one claim.
    public enum Status: String, Codable, Sendable {
        /// Not worse (possibly different, but not significantly worse).
        case unchanged
        /// Significantly better.
        case improved
        /// Worse: exits non-zero.
        case regression
        /// In the baseline but not (completely) in the current run.
        case missing
        /// Only in the current run.
        case new
        /// The decision rule changed; not compared.
        case incomparable
    }

    /// One claim's comparison.
    public struct Row: Codable, Equatable, Sendable {
        /// The claim's id.
        public let id: String
        /// The conclusion.
        public let status: Status
        /// Baseline and current verdicts.
        public let baseline: String, current: String
        /// The one-sided p-value of "current worse than baseline", where a test was run.
        public let pValue: Double?
        /// Why, in a sentence.
        public let reason: String
    }

    /// The family-wise α of the comparison.
    public let alpha: Double
    /// The per-claim threshold α / m.
    public let perClaimAlpha: Double
    /// One row per claim, baseline order then new claims.
    public let rows: [Row]
    /// Whether missing claims count as regressions.
    public let missingIsRegression: Bool
    /// What limits the comparison: profiles or seeds that differ or coincide, a baseline from a
    /// dirty tree or another commit. Printed above the table.
    public let warnings: [String]

    /// True if any claim regressed (or is missing, when that counts).
    public var hasRegression: Bool {
        rows.contains { $0.status == .regression || ($0.status == .missing && missingIsRegression) }
    }

    /// Compares `current` with `baseline` at family-wise `alpha`.
    /// Runs under different profiles (different budgets, so different power) are refused unless
    /// `allowProfileMismatch`, and then compared with a warning.
    public init(baseline: ResultsFile, current: ResultsFile, alpha: Double = 0.01, missingIsRegression: Bool = true,
                allowProfileMismatch: Bool = false) throws(ReportsError) {
        guard alpha > 0, alpha < 1 else { throw .invalidRequest("--alpha must lie in (0, 1), got \(alpha)") }
        var warnings: [String] = []
        if baseline.profile != current.profile {
            let text = "the baseline ran under profile \(baseline.profile.rawValue) and the current run under \(current.profile.rawValue): "
                + "their budgets differ, so a verdict or statistic may differ for that reason alone"
            guard allowProfileMismatch else { throw .invalidRequest(text + " (pass --allow-profile-mismatch to compare anyway)") }
            warnings.append("profile mismatch: " + text)
        }
        if baseline.rootSeed == current.rootSeed {
            warnings.append("both runs used seed \(current.rootSeed): they share their random draws, so the two-sample tests' "
                + "independence assumption does not hold; a difference reflects a change of code or machine, not sampling")
        }
        if baseline.environment.gitDirty == true {
            warnings.append("the baseline was made from a tree with uncommitted changes (git \(baseline.environment.gitCommit))")
        }
        if baseline.environment.gitCommit != current.environment.gitCommit {
            warnings.append("baseline commit \(baseline.environment.gitCommit.prefix(12)), current commit \(current.environment.gitCommit.prefix(12))")
        }
        self.warnings = warnings
        self.alpha = alpha
        self.missingIsRegression = missingIsRegression
        let currentById = Dictionary(current.claims.map { ($0.entry.id, $0.result) }, uniquingKeysWith: { a, _ in a })
        let baselineById = Dictionary(baseline.claims.map { ($0.entry.id, $0.result) }, uniquingKeysWith: { a, _ in a })
        let compared = baseline.claims.filter { b in
            guard let c = currentById[b.entry.id] else { return false }
            return b.result.kind == .statistical && c.kind == .statistical && b.result.claim == c.claim
        }.count
        perClaimAlpha = alpha / Double(max(1, compared))
        var rows: [Row] = []
        for b in baseline.claims {
            let id = b.entry.id
            let base = b.result
            guard let cur = currentById[id], cur.interrupted != true else {
                rows.append(Row(id: id, status: .missing, baseline: ReportFormat.verdict(base), current: currentById[id].map(ReportFormat.verdict) ?? "absent",
                                pValue: nil, reason: "in the baseline but not completed in the current run"))
                continue
            }
            rows.append(Self.compare(id: id, base, cur, perClaimAlpha: perClaimAlpha))
        }
        for c in current.claims where baselineById[c.entry.id] == nil {
            rows.append(Row(id: c.entry.id, status: .new, baseline: "absent", current: ReportFormat.verdict(c.result), pValue: nil, reason: "new claim; nothing to compare"))
        }
        self.rows = rows
    }

    static func compare(id: String, _ base: PropertyResult, _ cur: PropertyResult, perClaimAlpha: Double) -> Row {
        let bv = ReportFormat.verdict(base), cv = ReportFormat.verdict(cur)
        func row(_ s: Status, _ p: Double?, _ why: String) -> Row { Row(id: id, status: s, baseline: bv, current: cv, pValue: p, reason: why) }
        let bad: Set<Decision> = [.fails, .error]
        if base.kind != cur.kind || base.claim != cur.claim {
            return row(.incomparable, nil, "the claim's kind or decision rule changed between the runs")
        }
        if bad.contains(cur.decision) && !bad.contains(base.decision) {
            return row(.regression, nil, cur.kind == .universal
                       ? "the baseline found no counterexample; the current run did (\(cur.decision.rawValue))"
                       : "the current run rejects the claim at its own α (\(cur.decision.rawValue)); the baseline did not")
        }
        guard cur.kind == .statistical, let claim = cur.claim else {
            if !bad.contains(cur.decision) && bad.contains(base.decision) { return row(.improved, nil, "the baseline failed; the current run does not") }
            return row(.unchanged, nil, "same verdict class")
        }
        guard let p = worsePValue(claim: claim, base, cur) else {
            return row(.unchanged, nil, "too few trials for a two-sample test")
        }
        if p < perClaimAlpha {
            return row(.regression, p, "current \(ReportFormat.number(cur.statistic)) (n = \(cur.trials)) is worse than baseline \(ReportFormat.number(base.statistic)) (n = \(base.trials)): one-sided p = \(ReportFormat.number(p)) < \(ReportFormat.number(perClaimAlpha))")
        }
        if 1 - p < perClaimAlpha {
            return row(.improved, p, "current \(ReportFormat.number(cur.statistic)) is significantly better than baseline \(ReportFormat.number(base.statistic))")
        }
        return row(.unchanged, p, "current \(ReportFormat.number(cur.statistic)) vs baseline \(ReportFormat.number(base.statistic)): one-sided p = \(ReportFormat.number(p)) ≥ \(ReportFormat.number(perClaimAlpha))")
    }

    /// P(a difference at least this much in the worse direction | no real change), one-sided.
    static func worsePValue(claim: Claim, _ base: PropertyResult, _ cur: PropertyResult) -> Double? {
        guard let mb = base.statistic, let mc = cur.statistic, base.trials > 1, cur.trials > 1 else { return nil }
        // "worse" is lower for atLeast claims, higher for atMost: orient so that positive z = worse.
        let sign: Double = claim.direction == .atLeast ? 1 : -1
        switch claim.kind {
        case .rate:
            let nb = Double(base.trials), nc = Double(cur.trials)
            let pooled = (mb * nb + mc * nc) / (nb + nc)
            let variance = pooled * (1 - pooled) * (1 / nb + 1 / nc)
            guard variance > 0 else { return mb == mc ? 0.5 : (sign * (mb - mc) > 0 ? 0 : 1) }
            let z = sign * (mb - mc) / variance.squareRoot()
            return Normal.survival(z)
        case .mean:
            guard let sb = standardError(base), let sc = standardError(cur) else { return nil }
            let v = sb * sb + sc * sc
            guard v > 0 else { return mb == mc ? 0.5 : (sign * (mb - mc) > 0 ? 0 : 1) }
            let t = sign * (mb - mc) / v.squareRoot()
            let df = v * v / (pow(sb, 4) / Double(base.trials - 1) + pow(sc, 4) / Double(cur.trials - 1))
            guard let dist = try? StudentT(degreesOfFreedom: df), let cdf = try? dist.cdf(t) else { return nil }
            return 1 - cdf
        }
    }

    /// The standard error of a mean, recovered from its Student-t interval.
    static func standardError(_ r: PropertyResult) -> Double? {
        guard let i = r.interval, r.trials > 1,
              let q = try? StudentT(degreesOfFreedom: Double(r.trials - 1)).quantile(1 - (1 - i.confidence) / 2), q > 0 else { return nil }
        return (i.upper - i.lower) / 2 / q
    }

    /// A Markdown/terminal table of the rows, with the rule and the outcome.
    public var table: String {
        var lines = ["Comparison at family-wise α = \(ReportFormat.number(alpha)) (Bonferroni: \(ReportFormat.number(perClaimAlpha)) per statistical claim)", ""]
        for w in warnings { lines.append("warning: \(w)") }
        if !warnings.isEmpty { lines.append("") }
        lines.append("| Claim | Baseline | Current | Status | p (current worse) | Why |")
        lines.append("|---|---|---|---|---|---|")
        for r in rows {
            lines.append("| \(r.id) | \(r.baseline) | \(r.current) | \(r.status.rawValue.uppercased()) | \(ReportFormat.number(r.pValue)) | \(ReportFormat.cell(r.reason)) |")
        }
        lines.append("")
        let regressions = rows.filter { $0.status == .regression }.count
        let missing = rows.filter { $0.status == .missing }.count
        lines.append(hasRegression
                     ? "REGRESSION: \(regressions) claim(s) worse than the baseline\(missing > 0 ? ", \(missing) missing" : "")."
                     : "No regression: no claim is significantly worse than the baseline\(missing > 0 ? " (\(missing) missing, allowed)" : "").")
        return lines.joined(separator: "\n")
    }
}
