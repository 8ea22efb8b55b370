import Statistics

/// A property about a rate or a mean over random instances, decided by a sequential test with
/// stated false-fail (α) and false-pass (β) rates; stops as soon as the test decides and
/// reports *inconclusive* (never *holds*) when the trial budget runs out first.
public struct StatisticalProperty<Value>: Property {
    /// The property's name (labels its random stream; keep it stable).
    public let name: String
    /// Generates instances.
    public let generator: Generator<Value>
    /// What is asserted about the outcomes.
    public let claim: Claim
    /// α and β.
    public let errors: ErrorRates
    /// The trial budget per profile (the most trials before *inconclusive*).
    public let budget: Budget
    /// The outcome of one instance: 1/0 for rates, the statistic for means.
    public let outcome: @Sendable (Value, inout TrialLog) throws -> Double

    /// Always `.statistical`.
    public var kind: PropertyKind { .statistical }

    /// A rate property: `passes` says whether one instance succeeds.
    public init(
        _ name: String, generator: Generator<Value>, claim: Claim, errors: ErrorRates = .standard,
        budget: Budget, passes: @escaping @Sendable (Value, inout TrialLog) throws -> Bool
    ) {
        self.init(name, generator: generator, claim: claim, errors: errors, budget: budget) { value, log in
            try passes(value, &log) ? 1 : 0
        }
    }

    /// A mean property: `measure` returns the statistic of one instance.
    public init(
        _ name: String, generator: Generator<Value>, claim: Claim, errors: ErrorRates = .standard,
        budget: Budget, measure: @escaping @Sendable (Value, inout TrialLog) throws -> Double
    ) {
        self.name = name
        self.generator = generator
        self.claim = claim
        self.errors = errors
        self.budget = budget
        self.outcome = measure
    }

    func evaluate(_ source: ChoiceSource) -> TrialRecord {
        var source = source
        do {
            let value = try generator.generate(from: &source)
            var log = source.log
            do {
                let x = try outcome(value, &log)
                return TrialRecord(status: .passed, outcome: x, choices: source.recorded, log: log)
            } catch let rejection as TrialRejected {
                return TrialRecord(status: .rejected, thrownError: rejection.reason, choices: source.recorded, log: log)
            } catch {
                return TrialRecord(status: .failed, thrownError: "\(error)", choices: source.recorded, log: log)
            }
        } catch let rejection as TrialRejected {
            return TrialRecord(status: .rejected, thrownError: rejection.reason, choices: source.recorded, log: source.log)
        } catch {
            return TrialRecord(status: .failed, thrownError: "generator threw: \(error)", choices: source.recorded, log: source.log)
        }
    }

    /// Whether an outcome counts against the claim (listed in `failingTrials`).
    func countsAgainst(_ x: Double) -> Bool {
        switch claim.direction {
        case .atLeast: return x < claim.threshold
        case .atMost: return x > claim.threshold
        }
    }

    /// The budget's trial count for `profile`.
    public func trialBudget(for profile: Profile) -> Int { budget.trials(for: profile) }

    /// The records of `shard`'s trials (all up to the budget: the sequential test's stopping
    /// point is only known once the shards are merged).
    public func records(for shard: Shard, settings: Settings) -> ShardRecords {
        TrialLoop.shard(shard, name: name, settings: settings, target: budget.trials(for: settings.profile)) { stream in
            self.evaluate(ChoiceSource(stream: stream))
        }
    }

    /// Every trial up to `trials` (default: the budget), with no sequential stop.
    public func survey(trials: Int?, settings: Settings) -> Survey? {
        let budget = budget.trials(for: settings.profile)
        let (records, rejected) = TrialLoop.survey(name: name, settings: settings, target: trials ?? budget) { stream in
            self.evaluate(ChoiceSource(stream: stream))
        }
        return Survey(property: name, kind: .statistical, budget: budget, claim: claim, errors: errors, records: records, rejected: rejected)
    }

    /// Runs the sequential test over trials in index order (taken from `records` where
    /// present, evaluated otherwise); `falseFailRate`, if given, replaces α (run-level control).
    public func decide(_ records: [TrialRecord], settings: Settings, falseFailRate: Double?) -> PropertyResult {
        let clock = ContinuousClock()
        let start = clock.now
        var rates = errors
        if let alpha = falseFailRate { rates.falseFail = min(rates.falseFail, alpha) }
        var result = PropertyResult(
            name: name, kind: .statistical, decision: .inconclusive, profile: settings.profile, rootSeed: settings.rootSeed,
            trials: 0, rejectedTrials: 0, claim: claim, statistic: nil, interval: nil, falseFailRate: rates.falseFail,
            falsePassRate: rates.falsePass, evidence: nil, counterexample: nil, failingTrials: [], coverage: Coverage(),
            warnings: [], replayCommand: settings.rerunCommand(property: name), timing: nil)
        func finishTiming(_ slowest: Double, _ warnings: [String] = []) {
            result.timing = Timing(elapsedSeconds: seconds(clock.now - start), slowestTrialSeconds: slowest, warnings: warnings)
        }
        var test: SequentialTest
        do {
            test = try SequentialTest(claim: claim, errors: rates)
        } catch {
            result.decision = .error
            result.warnings.append("\(error)")
            finishTiming(0)
            return result
        }

        if let replay = settings.replay, replay.property == name {
            let record = evaluate(ChoiceSource(stream: TrialLoop.stream(root: settings.rootSeed, property: name, trial: replay.trial)))
            result.trials = record.status == .rejected ? 0 : 1
            result.statistic = record.status == .passed ? record.outcome : nil
            result.coverage = Coverage(logs: [record.log])
            result.warnings.append("replayed trial \(replay.trial) alone: outcome \(record.outcome)\(record.thrownError.map { ", threw \($0)" } ?? "") — no verdict from one trial")
            result.replayCommand = settings.replayCommand(property: name, trial: replay.trial)
            finishTiming(record.seconds)
            return result
        }

        let target = budget.trials(for: settings.profile)
        var moments = RunningMoments()
        var successes = 0
        var problem: String?
        let totals = TrialLoop.run(name: name, settings: settings, target: target, known: recordsByIndex(records), evaluate: { stream in
            self.evaluate(ChoiceSource(stream: stream))
        }, consume: { index, record in
            if record.status == .failed {
                problem = "trial \(index) threw: \(record.thrownError ?? "?") — reproduce: \(settings.replayCommand(property: name, trial: index))"
                return true
            }
            let x = record.outcome
            if !x.isFinite || (claim.bounds.map { !$0.contains(x) } ?? false) {
                problem = "\(PropertyEngineError.outcomeOutOfBounds(property: name, trial: index, value: x)) — reproduce: \(settings.replayCommand(property: name, trial: index))"
                return true
            }
            moments.add(x)
            if x >= 0.5 { successes += 1 }
            if countsAgainst(x) && result.failingTrials.count < 10 { result.failingTrials.append(index) }
            test.observe(x)
            return test.state != .undecided
        })
        result.trials = totals.counted
        result.rejectedTrials = totals.rejected
        result.coverage = Coverage(logs: totals.logs)
        result.evidence = test.evidence
        result.statistic = moments.count > 0 ? moments.mean : nil
        switch test.state {
        case .holds: result.decision = .holds
        case .fails: result.decision = .fails
        case .undecided:
            result.decision = .inconclusive
            if totals.interrupted {
                result.interrupted = true
                result.warnings.append(interruptionWarning(counted: totals.counted, target: target))
            }
        }
        if let problem {
            result.decision = .error
            result.warnings.append(problem)
        }
        if let health = totals.healthFailure {
            result.decision = .error
            result.failedHealthCheck = totals.healthCheck
            result.warnings.append(health)
        }
        // Said only where it explains the verdict: a test that decided within its budget needed no more.
        if result.decision == .inconclusive && result.interrupted != true && Double(target) < test.expectedTrials {
            result.warnings.append("no verdict within the budget of \(target) trials: the test expects to need ≈\(Int(test.expectedTrials.rounded(.up))) at the threshold or alternative")
        }
        result.interval = descriptiveInterval(moments: moments, successes: successes, confidence: 1 - rates.falseFail)
        var timingWarnings: [String] = []
        if let warning = totals.slowTrialWarning(limit: budget.slowTrialSeconds) { timingWarnings.append(warning) }
        finishTiming(totals.slowest, timingWarnings)
        return result
    }

    /// Clopper–Pearson for rates, Student t for means, at confidence 1 − α (fixed-n, descriptive).
    func descriptiveInterval(moments: RunningMoments, successes: Int, confidence: Double) -> Interval? {
        guard moments.count > 0 else { return nil }
        switch claim.kind {
        case .rate:
            guard let ci = try? BinomialInterval.clopperPearson(successes: successes, trials: moments.count, confidence: confidence) else { return nil }
            return Interval(lower: ci.lower, upper: ci.upper, confidence: confidence, method: "Clopper–Pearson")
        case .mean:
            guard moments.count > 1, let t = try? StudentT(degreesOfFreedom: Double(moments.count - 1)).quantile(1 - (1 - confidence) / 2) else { return nil }
            let half = t * moments.standardError
            return Interval(lower: moments.mean - half, upper: moments.mean + half, confidence: confidence, method: "Student t")
        }
    }
}
