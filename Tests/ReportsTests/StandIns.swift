import Foundation
import PaperClaims
import PropertyEngine
import Reports

/// Small in-memory claims and experiments standing in for the paper's (which the claims layer
/// provides): a universal claim that holds, one that fails, a rate and a mean.
enum StandIns {
    static func section(_ name: String, _ entries: [(String, CatalogueValue)]) -> CatalogueSection {
        CatalogueSection(file: "stand-in.yaml", name: name, entries: entries.map { (key: $0.0, value: $0.1) })
    }

    static func entry(_ id: String, kind: PropertyKind) -> ClaimEntry {
        ClaimEntry(id: id, title: "Stand-in \(id)", paper: "Thm 0 (stand-in)", statement: "A stand-in statement for \(id).",
                   kind: kind, instances: section("instances", [("a", .list([.number(0), .number(100)]))]),
                   method: section("protocol", [("generator", .text("uniform integers"))]), statistic: "a + b",
                   tolerance: section("tolerance", [("absolute", .number(0)), ("derivation", .text("integers are exact"))]),
                   toleranceDerivation: "Integers are exact.",
                   decision: kind == .statistical ? section("decision", [("false-fail", .number(0.001)), ("false-pass", .number(0.001))]) : nil,
                   budget: .standard, negativeControls: ["no-spectral-gap"], file: "\(id).yaml")
    }

    static let holds = UniversalProperty("sum-bounded", generator: Gen.zip(Gen.integers(in: 0...100).observed(as: "a"), Gen.integers(in: 0...100)),
                                         budget: .trials(300)) { pair, log in
        log.event(pair.0 > pair.1 ? "a > b" : "a ≤ b")
        return Check.atMost(Double(pair.0 + pair.1), 200, "a + b")
    }

    static let fails = UniversalProperty("sum-small", generator: Gen.zip(Gen.integers(in: 0...100).observed(as: "a"), Gen.integers(in: 0...100))) { pair, _ in
        Check.atMost(Double(pair.0 + pair.1), 150, "a + b")
    }

    static func rate(_ p: Double, name: String = "coin-rate") -> StatisticalProperty<Bool> {
        StatisticalProperty(name, generator: Gen.booleans(probability: p).labelled { $0 ? "heads" : "tails" },
                            claim: .rate(atLeast: 0.8, indifference: 0.03), errors: ErrorRates(falseFail: 0.01, falsePass: 0.01),
                            budget: .trials(5_000)) { heads, _ in heads }
    }

    static func mean(shift: Double, name: String = "uniform-mean") -> StatisticalProperty<Double> {
        StatisticalProperty(name, generator: Gen.reals(in: 0...1), claim: .mean(atLeast: 0.4, indifference: 0.1, bounds: 0...1.5),
                            errors: ErrorRates(falseFail: 0.01, falsePass: 0.01), budget: .trials(2_000)) { x, log in
            log.feature("x", x)
            return x + shift
        }
    }

    static func claims(rate p: Double = 0.9, meanShift: Double = 0) -> [ClaimUnderTest] {
        [ClaimUnderTest(entry: entry("sum-bounded", kind: .universal), property: holds),
         ClaimUnderTest(entry: entry("sum-small", kind: .universal), property: fails),
         ClaimUnderTest(entry: entry("coin-rate", kind: .statistical), property: rate(p)),
         ClaimUnderTest(entry: entry("uniform-mean", kind: .statistical), property: mean(shift: meanShift))]
    }

    /// A stand-in experiment: alignment curves of `runs` runs (deterministic in the seed) and a sweep.
    static let experiment = ExperimentUnderTest(id: "toy", title: "Toy alignment", parameters: "d=5, 200 steps", publishedRuns: 10) { options in
        var curves: [FigureData.Series] = []
        var verdicts: [ExperimentResult.RunVerdict] = []
        for r in 0..<options.runs {
            let rate = 0.01 + 0.002 * Double((options.seed &+ UInt64(r)) % 7)
            let x = (0...200).map(Double.init)
            let y = x.map { 1 - 0.9 * exp(-rate * $0) }
            curves.append(.init(label: "GD", role: .run, x: x, y: y))
            verdicts.append(.init(label: "run \(r)", outcome: y.last! > 0.9 ? .converged : .stoppedEarly, finalAlignment: y.last!,
                                  relativeDistance: 1 - y.last!, stepsTaken: 200, stepsNeeded: nil))
        }
        curves.append(.init(label: "optimum", role: .reference, x: [0, 200], y: [1, 1]))
        let ls = stride(from: 3.0, through: 50, by: Double(3 * options.sweepStride)).map { $0 }
        let sweep = FigureData(id: "toy-vs-L", title: "Final alignment against L <toy & co>", xLabel: "L (tokens)", yLabel: "final alignment", logX: true,
                               series: [.init(label: "SGD, mean ± 1 sd", role: .summary, x: ls, y: ls.map { 1 - 1 / $0 },
                                              low: ls.map { 1 - 1.5 / $0 }, high: ls.map { min(1, 1 - 0.5 / $0) })],
                               caption: "Toy sweep.")
        let figure = FigureData(id: "toy", title: "Alignment against iterations", xLabel: "iteration", yLabel: "alignment |<μ/|μ|, u₁>|",
                                series: curves, caption: "Toy curves, \(options.runs) runs.")
        return ExperimentResult(id: "toy", figures: [figure, sweep], runs: verdicts, summary: "\(verdicts.filter { $0.outcome == .converged }.count) of \(verdicts.count) runs converged.")
    }

    static let environment = RunEnvironment(swiftVersion: "Swift 6.3.1", operatingSystem: "Test OS", cpuModel: "Test CPU", cores: 2, workers: 2,
                                            blas: "OpenBLAS (test)", blasThreading: "OPENBLAS_NUM_THREADS=1", layerKernel: "Test kernel",
                                            gitCommit: "0000000", gitDirty: false)

    static func harness(seed: UInt64 = 0x5EED_0001, workers: Int = 2, cancellation: CancellationFlag? = nil) -> Harness {
        var settings = Settings(profile: .quick, rootSeed: seed, workers: workers)
        settings.replayTemplate = "attention-pca verify --claim {property} --profile {profile} --seed {seed} --trial {trial}"
        settings.rerunTemplate = "attention-pca verify --claim {property} --profile {profile} --seed {seed}"
        settings.cancellation = cancellation
        return Harness(settings: settings, familyFalseFailRate: 0.01, command: "attention-pca report --seed \(seed)", environment: environment)
    }

    static func temporaryFolder() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("reports-tests-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
