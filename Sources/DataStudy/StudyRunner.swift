import AttentionModels
import DataFiles
import Foundation
import Instances
import LinearAlgebra
import PaperClaims
import Randomness
import Statistics

/// Runs a data study: the spectrum of S, gradient descent on the closed forms R_inf and
/// R_lin,L with that S, and independent SGD runs of the softmax layer on finite prompts whose
/// tokens are (a) N(0, S), (b) the user's rows resampled with replacement and (c) a Gaussian
/// sample of the same size with exactly the same covariance, resampled the same way. (b) against
/// (c) isolates non-Gaussianity; (c) against (a) the finite sample. docs/STUDY.md explains the
/// protocol and how to read the verdict.
///
/// Everything runs in the eigenbasis of the non-null part of S (`PrincipalSubspace`), where u_1
/// is the first coordinate vector; zero-variance directions are projected out and reported.
public enum StudyRunner {
    /// The relative gap below which the report calls u_1 weakly separated: a rule of thumb, not
    /// derived (at 0.1 the curvature across u_1 along u_2 is a tenth of what a well-separated
    /// spectrum gives at the same s_2, so SGD's spread along u_2 is ten times larger, §7.1).
    public static let smallRelativeGap = 0.1

    /// Names of the SGD arms, in report order.
    public static let gaussianTokens = "gaussian-tokens", realRows = "real-rows", gaussianSample = "gaussian-sample"

    /// Runs the study of `input` under `configuration`; `progress` receives one line per stage.
    public static func run(_ input: StudyInput, configuration config: StudyConfiguration,
                           progress: (String) -> Void = { _ in }) throws -> StudyResult {
        let clock = Date()
        let d = input.covariance.rows
        let subspace: PrincipalSubspace
        do {
            subspace = try PrincipalSubspace(input.covariance)
        } catch {
            throw DataFileError(file: input.source, problem: "its covariance cannot be studied: \(error)")
        }
        let s = subspace.eigenvalues, r = subspace.rank, s1 = s[0]
        var settings = [StudyResult.Setting]()
        var notes = input.notes

        // lam: only sqrt(lam) mu matters (§2.4); lam = 1/s_1 makes |mu*| = 1/sqrt(lam s_1) = 1 and the
        // scores lam <mu, x_1><mu, x_k> at mu* products of two unit-variance Gaussians along u_1.
        let lam = config.lam ?? 1 / s1
        settings.append(.init(name: "lam", value: fmt(lam), reason: config.lam != nil ? "given (--lam); lam s_1 = \(fmt(lam * s1))"
            : "1 / s_1, so lam s_1 = 1: only sqrt(lam) mu matters (docs/MATHEMATICS.md §2.4), the minimiser u_1 / sqrt(lam s_1) is then a unit vector and the softmax scores at it are O(1) whatever the data's units"))
        let L = config.promptLength
        settings.append(.init(name: "prompt length L", value: "\(L)", reason: L == 100 ? "the paper's Fig. 3a prompt length (default)" : "given (--prompt-length)"))

        let target = [1.0] + [Double](repeating: 0, count: r - 1)
        let root = RandomStream(seed: config.seed)
        let starScale = 1 / (lam * s1).squareRoot()
        let starts = (0..<max(config.runs, 1)).map { k -> [Double] in
            var stream = root.child("start").child(k)
            return stream.unitVector(dimension: r).scaled(by: config.startScale * starScale)
        }
        settings.append(.init(name: "start", value: "|mu_0| = \(fmt(config.startScale)) |mu*|, uniform direction in the non-null subspace",
                              reason: "a small start: mu = 0 is a saddle that SGD leaves along u_1 in ln(1/\(fmt(config.startScale))) / (eta 4 lam s_1^2) steps, and components along low-variance directions, which barely move (their curvature 2 lam s_j (s_1 - s_j) is small), stay small, so the alignment does not depend on where the run starts"))

        // Closed forms.
        progress("gradient descent on R_inf and R_lin,L (d = \(d), non-null rank \(r))")
        let infinite = try InfinitePromptSoftmaxRisk(covariance: subspace.reduced, lam: lam)
        let linear = try LinearAttentionRisk(covariance: subspace.reduced, lam: lam, promptLength: L)
        var gd = [StudyResult.GradientDescentArm]()
        for (name, risk) in [("R_inf", infinite as any DifferentiableRisk), ("R_lin,L (L = \(L))", linear as any DifferentiableRisk)] {
            gd.append(try gradientDescent(name: name, risk: risk, start: starts[0], startScale: config.startScale, target: target))
        }
        settings.append(.init(name: "GD step", value: gd.map { "\($0.risk): \(fmt($0.stepSize))" }.joined(separator: "; "),
                              reason: "the stable-step rule: 0.5 x 2 / max(h_max at mu*, h_max at mu_0) (docs/MATHEMATICS.md §6.1-6.2)"))
        settings.append(.init(name: "GD budget", value: gd.map { "\($0.risk): \($0.budget)" }.joined(separator: "; "),
                              reason: "10 x the linear-convergence prediction ln(1/start) / (eta 4 lam s_1^2) + ln(100) / (eta h_2) with h_2 the curvature across u_1 along u_2, between 1,000 and 200,000"))

        // SGD.
        let h1 = 8 * lam * s1 * s1
        let eta = config.stepFraction / h1
        settings.append(.init(name: "SGD learning rate", value: fmt(eta),
                              reason: "\(fmt(config.stepFraction)) / h_max with h_max = 8 lam s_1^2 = \(fmt(h1)), R_inf's largest curvature at its minimiser (§4.2), as in the softmax SGD claims (§7.2)"))
        let h2 = r >= 2 ? 2 * lam * s[1] * (s1 - s[1]) : h1
        let tau2 = 1 / (eta * h2)
        let escape = log(1 / config.startScale) / (eta * 4 * lam * s1 * s1)
        let derivedSteps = Int(min(8000, max(2000, ((escape + 3 * tau2) / 100).rounded(.up) * 100)))
        let steps = config.steps ?? derivedSteps
        settings.append(.init(name: "SGD steps", value: "\(steps)", reason: config.steps != nil
            ? "given (--steps); the derived default would be \(derivedSteps)"
            : "the escape from the small start (\(fmt(escape)) steps) plus 3 relaxation times across u_1, 3 / (eta h_2) = \(fmt(3 * tau2)) steps (h_2 = 2 lam s_2 (s_1 - s_2)), rounded up to 100, between 2,000 and 8,000 (at least 2,000 so that a slow drift away from u_1 on non-Gaussian data shows within the run; the last-quarter drift check says when it did not settle)"))
        let units = max(1, config.promptsPerStep / config.promptsPerUnit)
        settings.append(.init(name: "batch", value: "\(units * config.promptsPerUnit) prompts per step",
                              reason: "16 prompts of L tokens: enough that the gradient noise leaves the alignment near 1 at this learning rate, cheap enough for \(config.runs) runs per arm"))
        settings.append(.init(name: "runs per arm", value: "\(config.runs)", reason: config.runs == 8 ? "8 independent runs: a t interval with 7 degrees of freedom (default)" : "given (--runs)"))
        settings.append(.init(name: "intervals and tests", value: "\(fmt(config.confidence * 100))% t intervals; Welch t at alpha = \(fmt(config.alpha)) each",
                              reason: "two comparisons, so the family-wise false-alarm rate is at most \(fmt(2 * config.alpha)) (Bonferroni)"))
        settings.append(.init(name: "alignment threshold", value: fmt(config.alignmentThreshold),
                              reason: "the prediction holds when the lower end of the real-rows interval is at least this: |cos| >= 0.9 is an angle of at most 26 degrees to u_1"))

        let layer = try AttentionLayer(kind: .softmax, lam: lam)
        let recordEvery = max(1, steps / 100)
        let sgd = try StochasticGradientDescent(learningRate: eta, maximumSteps: steps, unitsPerStep: units, workers: config.workers,
                                                recordEvery: recordEvery)
        func arm(_ name: String, _ description: String, _ source: some PromptSource) throws -> StudyResult.SGDArm {
            progress("SGD, \(config.runs) runs: \(description)")
            let t0 = Date()
            var finals = [Double](), diverged = 0
            var curves = [[Double]]()
            var stepsAxis = [Double]()
            for k in 0..<config.runs {
                let run = sgd.train(layer, on: source, promptLength: L, from: starts[k], stream: root.child(name).child(k), alignmentTarget: target)
                if run.stop == .diverged { diverged += 1 }
                finals.append(run.stop == .diverged ? 0 : run.parameters.alignment(with: target))
                let curve = run.trajectory.map { $0.alignment ?? 0 }
                if stepsAxis.isEmpty { stepsAxis = run.trajectory.map { Double($0.step) } }
                curves.append(curve)
            }
            let m = stepsAxis.count
            let usable = curves.filter { $0.count == m }
            let mean = (0..<m).map { i in usable.reduce(0) { $0 + $1[i] } / Double(max(usable.count, 1)) }
            let low = (0..<m).map { i in usable.map { $0[i] }.min() ?? 0 }
            let high = (0..<m).map { i in usable.map { $0[i] }.max() ?? 0 }
            let quarter = (3 * (m - 1)) / 4
            let changes = usable.count >= 2 && m >= 4 ? usable.map { $0[m - 1] - $0[quarter] } : []
            let change = changes.isEmpty ? nil : try MeanInterval(changes, confidence: config.confidence)
            let moving = change.map { $0.lower > 0 || $0.upper < 0 } ?? false
            return StudyResult.SGDArm(name: name, description: description, alignments: finals,
                                      interval: try MeanInterval(finals, confidence: config.confidence), diverged: diverged,
                                      wallSeconds: Date().timeIntervalSince(t0), lastQuarterChange: change, stillMoving: moving,
                                      steps: stepsAxis, meanAlignment: mean,
                                      minimumAlignment: low, maximumAlignment: high)
        }
        var arms = [StudyResult.SGDArm]()
        arms.append(try arm(gaussianTokens, "Gaussian tokens N(0, S): the paper's setting", GaussianPromptSource(covariance: subspace.reduced, promptsPerUnit: config.promptsPerUnit)))
        var comparisons = [StudyResult.Comparison]()
        if let rows = input.centredRows {
            let projected = subspace.projectRows(rows)
            arms.append(try arm(realRows, "the \(rows.rows) real rows, centred, resampled with replacement",
                                try DataRowPromptSource(data: projected, promptsPerUnit: config.promptsPerUnit, centre: false)))
            let (sample, exact) = gaussianSample(rows: rows.rows, eigenvalues: Array(s[0..<r]), stream: root.child("gaussian sample"))
            if !exact {
                notes.append("The Gaussian-sample control could not be given exactly the data's covariance (n = \(rows.rows) <= rank \(r)); it is a plain N(0, S) sample of size n, so it also differs from the data by sampling error.")
            }
            arms.append(try arm(gaussianSample, "a Gaussian sample of the same size n = \(rows.rows) with exactly the data's covariance, resampled the same way",
                                try DataRowPromptSource(data: sample, promptsPerUnit: config.promptsPerUnit, centre: false)))
            comparisons.append(try compare(arms[1], arms[2], config.alpha, "non-Gaussianity: do the real rows train differently from Gaussian rows with the same n and covariance?"))
            comparisons.append(try compare(arms[2], arms[0], config.alpha, "finite sample: does resampling n rows train differently from fresh N(0, S) tokens?"))
        }

        // Spectrum.
        let tol = subspace.tolerance
        let zeroCoordinates = (0..<d).filter { input.covariance[$0, $0] <= tol }.map { $0 + 1 }
        let spectrum = StudyResult.Spectrum(
            eigenvalues: s, trace: input.covariance.trace, nullTolerance: tol, rank: r, zeroVarianceCoordinates: zeroCoordinates,
            topGap: r >= 2 ? s1 - s[1] : nil, relativeGap: r >= 2 ? (s1 - s[1]) / s1 : nil, conditionNumber: subspace.conditionNumber,
            topEigenvector: subspace.topEigenvector)
        if subspace.nullity > 0 {
            let named = zeroCoordinates.prefix(12).map { (j: Int) -> String in
                guard let names = input.columnNames, j - 1 < names.count else { return "\(j)" }
                return "\(j) (\(names[j - 1]))"
            }
            notes.append("S is singular: \(subspace.nullity) of \(d) eigenvalues are at most the null tolerance d eps s_1 = \(fmt(tol)) (a backward-stable eigensolver cannot tell them from 0). Their directions are projected out: every model runs on the \(r)-dimensional non-null part, in its eigenbasis, and results are mapped back. "
                + (zeroCoordinates.isEmpty ? "No single coordinate is constant; the null directions are combinations of coordinates (collinear columns)."
                    : "\(zeroCoordinates.count) coordinate\(zeroCoordinates.count == 1 ? " has" : "s have") zero variance: \(named.joined(separator: ", "))\(zeroCoordinates.count > 12 ? ", ..." : "")."))
        }
        if r >= 2 {
            let smallest = 2 * lam * s[r - 1] * (s1 - s[r - 1])
            if subspace.conditionNumber > 1e6 {
                notes.append("The non-null part is ill-conditioned (s_1 / s_r = \(fmt(subspace.conditionNumber))): across u_1 the curvature along u_r is 2 lam s_r (s_1 - s_r) = \(fmt(smallest)), so a component of mu along u_r shrinks by a factor (1 - eta h) per step, about \(fmt(eta * smallest)) of itself: it barely moves. Runs therefore start small (|mu_0| = \(fmt(config.startScale)) |mu*|); a large start would keep its components along such flat directions and its final alignment would depend on the start.")
            }
            if 3 * tau2 > Double(steps) {
                notes.append("Slow relaxation across u_1 for this budget (a small top gap, or a small s_2 next to s_1): the relaxation time across u_1 along u_2 is 1 / (eta h_2) = \(fmt(tau2)) steps, and 3 of them exceed the \(steps) SGD steps. The component along u_2 is then still moving at the end: from the small start it has barely grown, so the alignment is high, but it reflects the start and the budget more than the data; a larger start would keep its u_2 component.")
            }
        }

        let verdict = decide(arms: arms, comparisons: comparisons, gd: gd, config: config, tau2: tau2, steps: steps,
                             relativeGap: r >= 2 ? (s1 - s[1]) / s1 : nil)
        return StudyResult(source: input.source, inputKind: input.centredRows == nil ? "covariance" : "data",
                           sampleCount: input.centredRows?.rows, dimension: d, standardised: input.standardised, seed: config.seed,
                           settings: settings, spectrum: spectrum, gradientDescent: gd, sgd: arms, comparisons: comparisons,
                           verdict: verdict, notes: notes, wallSeconds: Date().timeIntervalSince(clock))
    }

    /// GD on one closed form from `start`, with the stable step and a derived budget, audited.
    static func gradientDescent(name: String, risk: some DifferentiableRisk, start: [Double], startScale: Double,
                                target: [Double]) throws -> StudyResult.GradientDescentArm {
        let step = StepSizeRule.stable(for: risk, from: start)
        let hessian = risk.hessian(at: risk.minimiser)
        let across = hessian.rows >= 2 ? hessian[1, 1] : hessian[0, 0]
        let originValues = (try? risk.hessian(at: [Double](repeating: 0, count: start.count)).symmetricEigendecomposition().values) ?? []
        let origin = (originValues.last ?? 0) < 0 ? -originValues.last! : hessian[0, 0]
        let predicted = log(1 / startScale) / (step * max(origin, .leastNormalMagnitude)) + log(100) / (step * max(across, .leastNormalMagnitude))
        let budget = Int(min(200_000, max(1_000, (10 * predicted).rounded(.up))))
        let audited = try BudgetAudit.gradientDescent(risk, stepSize: step, budget: budget, from: start, alignmentTarget: target,
                                                      recordEvery: max(1, budget / 200), continuationFactor: 5, label: name)
        return StudyResult.GradientDescentArm(
            risk: name, stepSize: step, budget: budget, diagnosis: audited.diagnosis.rawValue, alignment: audited.verdict.finalAlignment,
            relativeDistance: audited.verdict.relativeDistance, stepsNeeded: audited.verdict.stepsNeeded,
            trajectory: audited.trajectory.map { [Double($0.step), $0.alignment] })
    }

    /// n rows of a Gaussian sample whose empirical covariance (1/n, centred) is exactly
    /// diag(`eigenvalues`): standard normals, centred, whitened by the Cholesky factor of their
    /// own empirical covariance, then scaled. The second return is false when n <= r and the
    /// whitening is impossible (the sample is then plain N(0, diag) and not exact).
    public static func gaussianSample(rows n: Int, eigenvalues: [Double], stream: RandomStream) -> (Matrix, Bool) {
        let r = eigenvalues.count
        var stream = stream
        var g = Matrix(rows: n, columns: r, elements: stream.normals(n * r))
        let roots = eigenvalues.map { $0.squareRoot() }
        guard n > r else {
            for i in 0..<n { for j in 0..<r { g[i, j] *= roots[j] } }
            return (g, false)
        }
        for j in 0..<r {
            let m = (0..<n).reduce(0) { $0 + g[$1, j] } / Double(n)
            for i in 0..<n { g[i, j] -= m }
        }
        let w = (1 / Double(n)) * g.transposed.gram
        guard let factor = try? w.choleskyFactor() else {
            for i in 0..<n { for j in 0..<r { g[i, j] *= roots[j] } }
            return (g, false)
        }
        var out = Matrix(rows: n, columns: r)
        for i in 0..<n {
            // Forward substitution: y = L^{-1} g_i, so (1/n) sum y y^T = L^{-1} W L^{-T} = I.
            var y = [Double](repeating: 0, count: r)
            for a in 0..<r {
                var v = g[i, a]
                for b in 0..<a { v -= factor[a, b] * y[b] }
                y[a] = v / factor[a, a]
            }
            for a in 0..<r { out[i, a] = y[a] * roots[a] }
        }
        return (out, true)
    }

    static func compare(_ a: StudyResult.SGDArm, _ b: StudyResult.SGDArm, _ alpha: Double, _ question: String) throws -> StudyResult.Comparison {
        let test = try WelchTest(a.alignments, b.alignments)
        return StudyResult.Comparison(name: "\(a.name) vs \(b.name)", question: question, test: test, alpha: alpha, significant: test.pValue < alpha)
    }

    /// The one-line answer: holds when the real-rows (or, for a covariance, the Gaussian-token)
    /// interval's lower end reaches the threshold; otherwise the causes found.
    static func decide(arms: [StudyResult.SGDArm], comparisons: [StudyResult.Comparison], gd: [StudyResult.GradientDescentArm],
                       config: StudyConfiguration, tau2: Double, steps: Int, relativeGap: Double?) -> StudyResult.Verdict {
        let threshold = config.alignmentThreshold
        let level = "\(fmt(config.confidence * 100))%"
        func interval(_ arm: StudyResult.SGDArm) -> String {
            "\(fmt(arm.interval.mean)) [\(fmt(max(0, arm.interval.lower))), \(fmt(min(1, arm.interval.upper)))]"
        }
        let real = arms.first { $0.name == realRows }
        let gaussian = arms.first { $0.name == gaussianTokens }!
        let judged = real ?? gaussian
        let drifting = judged.stillMoving && (judged.lastQuarterChange?.mean ?? 0) < 0
        let holds = judged.interval.lower >= threshold && !drifting
        var causes = [String]()
        for arm in arms where arm.stillMoving {
            let c = arm.lastQuarterChange!
            causes.append("budget (still moving): the \(arm.name) runs' alignment changed by \(fmt(c.mean)) [\(fmt(c.lower)), \(fmt(c.upper))] over the last quarter of the \(steps) steps (\(level) t interval excludes 0): not settled; rerun with --steps \(4 * steps) to see where it goes")
        }
        if let g = gd.first, g.diagnosis != "converged" {
            causes.append("budget: gradient descent on R_inf ended '\(g.diagnosis)' after \(g.budget) steps (alignment \(fmt(g.alignment))\(g.stepsNeeded.map { ", needs \($0) steps" } ?? ", needs more than 5 x the budget"))")
        }
        if gaussian.interval.upper < threshold {
            causes.append("budget: even SGD on Gaussian tokens N(0, S) stays below \(fmt(threshold)) (\(interval(gaussian))) in \(steps) steps: the model's own prediction is not reached at this budget and learning rate")
        }
        if 3 * tau2 > Double(steps), (relativeGap ?? 1) >= 0.5 {
            causes.append("flat second direction: s_2 is small next to s_1, so the curvature across u_1 along u_2, h_2 = 2 lam s_2 (s_1 - s_2), is small and 3 relaxation times 3 / (eta h_2) = \(fmt(3 * tau2)) steps exceed the \(steps) steps (slow, start-dependent)")
        } else if 3 * tau2 > Double(steps) {
            causes.append("gap: the relative top gap (s_1 - s_2) / s_1 = \(fmt(relativeGap ?? .nan)) makes the relaxation across u_1 take 1 / (eta h_2) = \(fmt(tau2)) steps; 3 of them exceed the \(steps) steps (slow, start-dependent)")
        }
        if let g = relativeGap, g < smallRelativeGap {
            causes.append("gap: the relative top gap (s_1 - s_2) / s_1 = \(fmt(g)) is below \(fmt(smallRelativeGap)): u_1 is weakly separated from u_2, so SGD noise and the start move mu within the top eigenspace (the runs of the judged arm end between \(fmt(judged.alignments.min() ?? .nan)) and \(fmt(judged.alignments.max() ?? .nan)), sd \(fmt(judged.interval.standardDeviation)))")
        }
        if let c = comparisons.first, c.significant, c.test.difference < 0 {
            causes.append("non-Gaussianity: the real rows align worse than a Gaussian sample with the same n and covariance (difference \(fmt(c.test.difference)), Welch p = \(fmt(c.test.pValue)) < \(fmt(c.alpha)))")
        }
        if comparisons.count > 1, comparisons[1].significant, comparisons[1].test.difference < 0 {
            causes.append("finite sample: resampling n rows aligns worse than fresh Gaussian tokens (difference \(fmt(comparisons[1].test.difference)), Welch p = \(fmt(comparisons[1].test.pValue)))")
        }
        let headline: String
        if real == nil {
            headline = holds
                ? "Covariance only: SGD on Gaussian tokens N(0, S) learns u_1, mean alignment \(interval(gaussian)) (\(level) t interval, \(gaussian.alignments.count) runs, threshold \(fmt(threshold))); no data rows, so real tokens were not tested."
                : "Covariance only: SGD on Gaussian tokens N(0, S) does not reach alignment \(fmt(threshold)) (\(interval(gaussian))): \(causes.first ?? "cause not identified")."
        } else if holds {
            let caveat = causes.isEmpty ? "" : " Caveat: " + causes.map { String($0.prefix { $0 != ":" }) }.joined(separator: ", ") + " (see below)."
            headline = "The prediction holds on this data: SGD on the real rows learns u_1, mean alignment \(interval(judged)) (\(level) t interval, \(judged.alignments.count) runs; threshold \(fmt(threshold)))." + caveat
        } else if drifting && judged.interval.lower >= threshold {
            headline = "Not settled: SGD on the real rows is at mean alignment \(interval(judged)) but still moving away from u_1 (alignment change over the last quarter \(fmt(judged.lastQuarterChange!.mean))); rerun with --steps \(4 * steps)."
        } else {
            let kinds = causes.map { cause -> String in
                let kind = String(cause.prefix { $0 != ":" })
                if kind == "non-Gaussianity", let c = comparisons.first { return "\(kind) (\(fmt(c.test.difference)) against the Gaussian sample)" }
                if kind == "finite sample", comparisons.count > 1 { return "\(kind) (\(fmt(comparisons[1].test.difference)) against Gaussian tokens)" }
                return kind
            }
            var unique = [String]()
            for k in kinds where !unique.contains(k) { unique.append(k) }
            headline = "The prediction does not hold at this budget: SGD on the real rows reaches mean alignment \(interval(judged)) (\(level) t interval, threshold \(fmt(threshold))); "
                + (unique.isEmpty ? "no cause identified (not the gap, the budget, or non-Gaussianity at alpha \(fmt(config.alpha)))." : "cause: \(unique.joined(separator: ", ")).")
        }
        return StudyResult.Verdict(holds: holds, judgedArm: judged.name, headline: headline, causes: causes)
    }

    /// Four significant digits, as in every report.
    static func fmt(_ x: Double) -> String {
        if x.isNaN { return "NaN" }
        if x == 0 { return "0" }
        let a = abs(x)
        if a >= 1e-3 && a < 1e5 { var t = String(format: "%.4g", x); if t.contains("e") { t = String(format: "%.1f", x) }; return t }
        return String(format: "%.3g", x)
    }
}
