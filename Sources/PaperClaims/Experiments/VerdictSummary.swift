import Foundation

/// Writes the summary paragraph of an experiment from its audited runs: how many converged
/// within the published budget, how far the others stopped from the optimum, and how many
/// steps convergence needs.
struct VerdictSummary {
    /// Which convergence criterion the runs were judged by.
    enum Method { case gradientDescent, stochastic }

    /// The runs of one configuration (one sweep point), with the configuration's label
    /// (e.g. "d = 8"), or nil for a figure without a sweep.
    struct Group {
        let label: String?
        let runs: [AuditedRun]
    }

    let method: Method
    /// What the runs are, e.g. "GD on R_inf".
    let name: String
    /// The published step budget.
    let budget: Int
    /// The optimum the distances refer to, e.g. "u_1 / sqrt(lam s_1)"; nil if none is known.
    let optimum: String?
    /// Extra SGD steps searched for `stepsNeeded` beyond the budget (0: not searched).
    var sgdExtraSteps = 0

    /// The summary of `groups`.
    func text(_ groups: [Group]) -> String {
        let runs = groups.flatMap(\.runs)
        let verdicts = runs.map(\.verdict)
        let converged = verdicts.filter { $0.outcome == .converged }
        let early = verdicts.filter { $0.outcome == .stoppedEarly }
        let diverged = verdicts.filter { $0.outcome == .diverged }
        var parts = [String]()
        switch method {
        case .gradientDescent:
            parts.append("\(name): \(converged.count) of \(verdicts.count) runs converged within the published \(budget) steps "
                + "(criterion: final iterate within relative distance \(f(BudgetAudit.relativeDistanceTolerance)) of the nearer of "
                + "+-mu*, mu* = \(optimum ?? "the minimiser")).")
            if !converged.isEmpty {
                parts.append("Converged runs reached the criterion after median \(medianSteps(converged)) steps.")
            }
            if !early.isEmpty {
                let stopped = runs.filter { $0.verdict.outcome == .stoppedEarly }
                let wrong = stopped.filter { $0.diagnosis == .wrongCriticalPoint }.count
                let unstable = stopped.filter { $0.diagnosis == .unstableStep }.count
                let moving = stopped.count - wrong - unstable
                var why = [String]()
                if moving > 0 { why.append("\(moving) were still moving towards the optimum (not converged yet)") }
                if wrong > 0 { why.append("\(wrong) ended near a saddle or the origin (converged to the wrong point)") }
                if unstable > 0 {
                    why.append("\(unstable) ran at a step at or above the stable bound 2 / h_max at the optimum, so GD oscillates "
                        + "around it and cannot converge at that step")
                }
                parts.append("\(early.count) stopped early, at median relative distance \(f(median(early.compactMap(\.relativeDistance)))) "
                    + "(max \(f(early.compactMap(\.relativeDistance).max() ?? .nan))) and median alignment "
                    + "\(f(median(early.map(\.finalAlignment)))) (min \(f(early.map(\.finalAlignment).min() ?? .nan))); "
                    + why.joined(separator: "; ") + ".")
                let found = early.compactMap(\.stepsNeeded)
                if found.isEmpty {
                    parts.append("Continuing the same GD did not reach the criterion within \(BudgetAudit.continuationFactor) x the budget.")
                } else {
                    parts.append("Continuing the same GD reaches the criterion after median \(medianSteps(found)) "
                        + "steps (max \(found.max()!))" + (found.count < early.count
                            ? "; \(early.count - found.count) run(s) did not reach it within the cap of \(BudgetAudit.continuationFactor) x the budget." : "."))
                }
            }
        case .stochastic:
            parts.append("\(name): \(converged.count) of \(verdicts.count) runs met the SGD convergence criterion within the published "
                + "\(budget) steps (criterion: two consecutive \(BudgetAudit.sgdWindow)-step window means of mu differ by at most "
                + "\(f(BudgetAudit.sgdRelativeTolerance)) x |mean|)" + (converged.isEmpty ? "." : ", at median step \(medianSteps(converged))."))
            let finite = verdicts.filter { $0.outcome != .diverged }
            if !finite.isEmpty {
                parts.append("Final alignment: median \(f(median(finite.map(\.finalAlignment)))), min \(f(finite.map(\.finalAlignment).min()!))"
                    + (optimum.map { name in
                        "; final relative distance to the population minimiser \(name): median "
                            + "\(f(median(finite.compactMap(\.relativeDistance)))), max \(f(finite.compactMap(\.relativeDistance).max() ?? .nan))"
                    } ?? "") + ".")
            }
            if !early.isEmpty {
                var sentence = "\(early.count) stopped early (window means still moving by more than the tolerance: drift, or "
                    + "jitter of the window means at this learning rate), with median alignment \(f(median(early.map(\.finalAlignment))))"
                if optimum != nil { sentence += " and median relative distance \(f(median(early.compactMap(\.relativeDistance))))" }
                sentence += "."
                if sgdExtraSteps > 0 {
                    let found = early.compactMap(\.stepsNeeded)
                    sentence += " Continuing SGD for up to \(sgdExtraSteps) more steps met the criterion for \(found.count) of them"
                        + (found.isEmpty ? "." : ", after median \(medianSteps(found)) steps in all.")
                } else {
                    sentence += " Steps needed beyond the budget were not searched (cost)."
                }
                parts.append(sentence)
            }
        }
        if !diverged.isEmpty { parts.append("\(diverged.count) run(s) diverged (non-finite iterate).") }
        if groups.count > 1 {
            let perPoint = groups.map { group -> String in
                let ok = group.runs.filter { $0.verdict.outcome == .converged }.count
                return "\(group.label ?? "?"): \(ok)/\(group.runs.count)"
            }
            parts.append("Converged per point: " + perPoint.joined(separator: ", ") + ".")
        }
        return parts.joined(separator: " ")
    }

    private func medianSteps(_ verdicts: [ExperimentResult.RunVerdict]) -> String { medianSteps(verdicts.compactMap(\.stepsNeeded)) }

    /// The median of step counts as it is: a whole number, or the half between the middle pair
    /// (43399.5, not 43399 truncated or 43400 rounded to even); "n/a" for none.
    private func medianSteps(_ steps: [Int]) -> String {
        guard !steps.isEmpty else { return "n/a" }
        let m = median(steps.map(Double.init))
        return m == m.rounded() ? String(Int(m)) : String(format: "%.1f", m)
    }

    private func f(_ value: Double) -> String { ExperimentFigures.format(value) }

    /// The median (mean of the middle pair for an even count); NaN for no values.
    func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
