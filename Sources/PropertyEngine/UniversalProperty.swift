import Randomness

/// A property that must hold on every generated instance (up to its stated tolerances).
/// One failure is a counterexample: it is shrunk to a minimal one and reported with the
/// instance, the measured values and the tolerances.
public struct UniversalProperty<Value>: Property {
    /// The property's name (labels its random stream; keep it stable).
    public let name: String
    /// Generates instances.
    public let generator: Generator<Value>
    /// Trials per profile.
    public let budget: Budget
    /// Describes an instance in reports.
    public let describe: @Sendable (Value) -> String
    /// Checks one instance; may record events/features in the log or throw `TrialRejected`.
    public let check: @Sendable (Value, inout TrialLog) throws -> Check
    /// Extra steps of targeted search, as a share of the budget (0: off; see `targeting(share:)`).
    public private(set) var targetedShare = 0.0

    /// Always `.universal`.
    public var kind: PropertyKind { .universal }

    /// A universal property named `name` over `generator`'s instances.
    public init(
        _ name: String, generator: Generator<Value>, budget: Budget = .standard,
        describe: @escaping @Sendable (Value) -> String = { String(describing: $0) },
        check: @escaping @Sendable (Value, inout TrialLog) throws -> Check
    ) {
        self.name = name
        self.generator = generator
        self.budget = budget
        self.describe = describe
        self.check = check
    }

    /// A universal property whose check returns a plain Bool (no measurements).
    public init(
        _ name: String, generator: Generator<Value>, budget: Budget = .standard,
        describe: @escaping @Sendable (Value) -> String = { String(describing: $0) },
        holds: @escaping @Sendable (Value) throws -> Bool
    ) {
        self.init(name, generator: generator, budget: budget, describe: describe) { value, _ in
            Check.that(try holds(value), "holds")
        }
    }

    /// The same property with targeted search on: once the budget's random trials pass, a
    /// further `share` of the budget hill-climbs on choice sequences toward higher values of
    /// the score the check reports with `TrialLog.target` (`TargetedSearch`). A failure found
    /// there is a counterexample like any other, shrunk and reproducible by rerunning the claim.
    public func targeting(share: Double) -> UniversalProperty {
        precondition(share >= 0 && share.isFinite, "a share of the budget, >= 0")
        var copy = self
        copy.targetedShare = share
        return copy
    }

    /// Generates and checks one instance from `source`.
    func evaluate(_ source: ChoiceSource) -> TrialRecord {
        var source = source
        let value: Value
        do {
            value = try generator.generate(from: &source)
        } catch let rejection as TrialRejected {
            return TrialRecord(status: .rejected, thrownError: rejection.reason, choices: source.recorded, log: source.log)
        } catch {
            return TrialRecord(status: .failed, thrownError: "generator threw: \(error)", choices: source.recorded, log: source.log)
        }
        var log = source.log
        do {
            let result = try check(value, &log)
            return TrialRecord(status: result.passed ? .passed : .failed, check: result, choices: source.recorded, log: log)
        } catch let rejection as TrialRejected {
            return TrialRecord(status: .rejected, thrownError: rejection.reason, choices: source.recorded, log: log)
        } catch {
            return TrialRecord(status: .failed, thrownError: "\(error)", choices: source.recorded, log: log)
        }
    }

    /// The instance a choice sequence generates, described.
    func instanceDescription(_ choices: [UInt64]) -> String {
        var source = ChoiceSource(replaying: choices)
        guard let value = try? generator.generate(from: &source) else { return "<not regenerable>" }
        return describe(value)
    }

    /// The budget's trial count for `profile`.
    public func trialBudget(for profile: Profile) -> Int { budget.trials(for: profile) }

    /// The records of `shard`'s trials (stops after its first failing batch).
    public func records(for shard: Shard, settings: Settings) -> ShardRecords {
        TrialLoop.shard(shard, name: name, settings: settings, target: budget.trials(for: settings.profile)) { stream in
            self.evaluate(ChoiceSource(stream: stream))
        }
    }

    /// Every trial up to `trials` (default: the budget), counterexamples included, unshrunk.
    public func survey(trials: Int?, settings: Settings) -> Survey? {
        let budget = budget.trials(for: settings.profile)
        let (records, rejected) = TrialLoop.survey(name: name, settings: settings, target: trials ?? budget) { stream in
            self.evaluate(ChoiceSource(stream: stream))
        }
        return Survey(property: name, kind: .universal, budget: budget, claim: nil, errors: nil, records: records, rejected: rejected)
    }

    /// Decides the property: regressions first, then trials in index order (taken from
    /// `records` where present, evaluated otherwise); shrinks the first failure.
    public func decide(_ records: [TrialRecord], settings: Settings, falseFailRate: Double?) -> PropertyResult {
        let clock = ContinuousClock()
        let start = clock.now
        var result = PropertyResult(
            name: name, kind: .universal, decision: .holds, profile: settings.profile, rootSeed: settings.rootSeed,
            trials: 0, rejectedTrials: 0, claim: nil, statistic: nil, interval: nil, falseFailRate: 0,
            falsePassRate: nil, evidence: nil, counterexample: nil, failingTrials: [], coverage: Coverage(),
            warnings: [], replayCommand: settings.rerunCommand(property: name), timing: nil)

        if let replay = settings.replay, replay.property == name {
            let record = evaluate(ChoiceSource(stream: TrialLoop.stream(root: settings.rootSeed, property: name, trial: replay.trial)))
            result.trials = record.status == .rejected ? 0 : 1
            result.rejectedTrials = record.status == .rejected ? 1 : 0
            result.coverage = Coverage(logs: [record.log])
            result.warnings.append("replayed trial \(replay.trial) alone")
            if record.status == .failed { fail(&result, record, trial: replay.trial, settings) }
            result.replayCommand = settings.replayCommand(property: name, trial: replay.trial)
            result.timing = Timing(elapsedSeconds: seconds(clock.now - start), slowestTrialSeconds: 0, warnings: [])
            return result
        }

        if let file = settings.regressionsFile {
            do {
                for entry in try RegressionStore(file: file).entries(for: name) {
                    let record = evaluate(ChoiceSource(replaying: entry.choices))
                    if record.status == .failed {
                        result.warnings.append("failure from the regressions file (recorded at seed \(entry.rootSeed), trial \(entry.trial))")
                        fail(&result, record, trial: entry.trial, settings, recordRegression: false)
                        result.trials = 1
                        result.timing = Timing(elapsedSeconds: seconds(clock.now - start), slowestTrialSeconds: 0, warnings: [])
                        return result
                    }
                }
            } catch {
                result.warnings.append("\(error)")
            }
        }

        var failure: (Int, TrialRecord)?
        var targetLabel: String?
        var bestTargeted: (score: Double, record: TrialRecord)?
        let target = budget.trials(for: settings.profile)
        let totals = TrialLoop.run(name: name, settings: settings, target: target, known: recordsByIndex(records), evaluate: { stream in
            self.evaluate(ChoiceSource(stream: stream))
        }, consume: { index, record in
            if record.status == .failed { failure = (index, record); return true }
            if targetedShare > 0 {
                if targetLabel == nil { targetLabel = record.log.targets.first?.name }
                if let label = targetLabel, let score = record.log.score(label), score > (bestTargeted?.score ?? -.infinity) {
                    bestTargeted = (score, record)
                }
            }
            return false
        })
        result.trials = totals.counted
        result.rejectedTrials = totals.rejected
        result.coverage = Coverage(logs: totals.logs)
        if let problem = totals.healthFailure {
            result.decision = .error
            result.failedHealthCheck = totals.healthCheck
            result.warnings.append(problem)
        } else if totals.rejected * 2 > totals.counted + totals.rejected {
            result.warnings.append("health check: \(totals.rejected) of \(totals.counted + totals.rejected) trials rejected (over half)")
        }
        if failure == nil, totals.healthFailure == nil, !totals.interrupted, let label = targetLabel, let start = bestTargeted?.record {
            var search = TargetedSearch(label: label, steps: Int((Double(target) * targetedShare).rounded(.up)),
                                        stream: RandomStream(seed: settings.rootSeed).child(name).child("targeted search"))
            let found = search.run(from: start, evaluate: { self.evaluate(ChoiceSource(replaying: $0)) },
                                   cancelled: { settings.cancellation?.isCancelled == true })
            result.trials += found.summary.steps - found.summary.rejected
            result.rejectedTrials += found.summary.rejected
            result.targetedSearch = found.summary
            if let record = found.failure, let step = found.summary.failingStep {
                fail(&result, record, trial: target + step, settings)
                // The failing instance came from a hill climb, not from a trial's own stream:
                // rerunning the claim (deterministic) reproduces it, `--trial` would not.
                result.replayCommand = settings.rerunCommand(property: name)
                result.warnings.append("found by targeted search at step \(step + 1), maximising '\(label)' (the random trials reached at most \(found.summary.randomBest))")
            }
        }
        if let (index, record) = failure {
            fail(&result, record, trial: index, settings)
        } else if totals.interrupted {
            result.decision = .inconclusive
            result.interrupted = true
            result.warnings.append(interruptionWarning(counted: totals.counted, target: target))
        }
        var timingWarnings: [String] = []
        if let warning = totals.slowTrialWarning(limit: budget.slowTrialSeconds) { timingWarnings.append(warning) }
        result.timing = Timing(elapsedSeconds: seconds(clock.now - start), slowestTrialSeconds: totals.slowest, warnings: timingWarnings)
        return result
    }

    /// Shrinks a failing trial and fills in the counterexample and replay command.
    func fail(_ result: inout PropertyResult, _ record: TrialRecord, trial: Int, _ settings: Settings, recordRegression: Bool = true) {
        let name = self.name
        var shrinker = Shrinker(start: record.choices, budget: settings.shrinkBudget) { candidate in
            if settings.cancellation?.isCancelled == true { return nil }
            let r = self.evaluate(ChoiceSource(replaying: candidate))
            return r.status == .failed ? r.choices : nil
        }
        shrinker.progress = { done in
            settings.progress?(TrialProgress(property: name, phase: .shrinking, completed: done, target: settings.shrinkBudget))
        }
        let shrunk = shrinker.run().map(\.value)
        let final = evaluate(ChoiceSource(replaying: shrunk))
        result.decision = .fails
        result.counterexample = Counterexample(
            trial: trial, instance: instanceDescription(shrunk), originalInstance: instanceDescription(record.choices.map(\.value)),
            check: final.check ?? Check(passed: false), thrownError: final.thrownError, choices: shrunk,
            shrinkEvaluations: shrinker.evaluations)
        result.replayCommand = settings.replayCommand(property: name, trial: trial)
        if recordRegression, let file = settings.regressionsFile {
            do {
                try RegressionStore(file: file).add(RegressionEntry(property: name, rootSeed: settings.rootSeed, trial: trial, choices: shrunk))
            } catch {
                result.warnings.append("\(error)")
            }
        }
    }
}
