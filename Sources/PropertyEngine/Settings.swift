import Foundation

/// Which trial of which property to replay alone (`PROPERTY_REPLAY=<property>:<trial>`).
public struct ReplayRequest: Codable, Equatable, Sendable {
    /// The property's name.
    public var property: String
    /// The trial index.
    public var trial: Int

    /// Creates a replay request.
    public init(property: String, trial: Int) {
        self.property = property
        self.trial = trial
    }
}

/// Everything a run needs besides the properties: profile, root seed, workers, replay,
/// regressions file and the template of the reproduction command printed with failures.
public struct Settings: Sendable {
    /// The profile (budgets and default seed).
    public var profile: Profile
    /// The root seed; trial i of property p draws from RandomStream(seed: rootSeed).child(p).child(i).
    public var rootSeed: UInt64
    /// Worker threads for trials; verdicts do not depend on it.
    public var workers: Int
    /// Trials are evaluated in parallel batches of this fixed size, then consumed in index order.
    public var batchSize: Int = 64
    /// The most property evaluations spent shrinking one counterexample.
    public var shrinkBudget: Int = 2_000
    /// Replay one trial of one property instead of running the property.
    public var replay: ReplayRequest?
    /// The regressions file replayed first and appended to on failure (nil: none).
    public var regressionsFile: URL?
    /// The reproduction command; placeholders {profile} {seed} {property} {trial} {filter}.
    public var replayTemplate: String = Settings.swiftTestTemplate
    /// The command that reruns a whole property (same placeholders; nil: `replayTemplate`
    /// without its `PROPERTY_REPLAY` part). A command line sets both.
    public var rerunTemplate: String?
    /// The test filter put into {filter} (nil: the property name).
    public var testFilter: String?
    /// Trials may be rejected up to this multiple of the budget before the health check fails.
    public var rejectionAllowance: Int = 10
    /// Called after every batch of trials (and during shrinking), e.g. for a progress display.
    /// It runs on the thread driving the run; it must not block for long.
    public var progress: (@Sendable (TrialProgress) -> Void)?
    /// Fault injection for the engine's own self-check, never set in a verification run: trial i
    /// draws the stream of trial `plantedStreamIndex(i)` instead of its own (nil: its own). The
    /// mutation self-check plants shared randomness with it to show the duplicate-trial health
    /// check catches it.
    public var plantedStreamIndex: (@Sendable (Int) -> Int)?
    /// Set by the caller (e.g. on Ctrl-C) to stop after the current batch, keeping completed trials.
    public var cancellation: CancellationFlag?
    /// Keeps every evaluated batch and supplies the trials an earlier attempt completed (nil: none;
    /// a checkpointed run sets it).
    public var journal: (any TrialJournal)?

    /// The default template: rerun one trial under `swift test`.
    public static let swiftTestTemplate =
        "PROPERTY_PROFILE={profile} PROPERTY_SEED={seed} PROPERTY_REPLAY='{property}:{trial}' scripts/with-blas swift test -c release --filter '{filter}'"

    /// Settings with explicit values (no environment).
    public init(profile: Profile = .quick, rootSeed: UInt64? = nil, workers: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.profile = profile
        self.rootSeed = rootSeed ?? profile.defaultSeed ?? UInt64.random(in: 0 ... .max)
        self.workers = max(1, workers)
    }

    /// Settings from `PROPERTY_PROFILE`, `PROPERTY_SEED` (decimal or 0x-hex), `PROPERTY_REPLAY`
    /// (`name:trial`), `PROPERTY_WORKERS` and `PROPERTY_REGRESSIONS` (a path); bad values throw.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Settings {
        var profile = Profile.quick
        if let text = environment["PROPERTY_PROFILE"] {
            guard let p = Profile(rawValue: text) else {
                throw PropertyEngineError.invalidSetting(name: "PROPERTY_PROFILE", value: text, expected: "quick, nightly or paper")
            }
            profile = p
        }
        var seed: UInt64?
        if let text = environment["PROPERTY_SEED"] {
            seed = text.hasPrefix("0x") ? UInt64(text.dropFirst(2), radix: 16) : UInt64(text)
            if seed == nil {
                throw PropertyEngineError.invalidSetting(name: "PROPERTY_SEED", value: text, expected: "an unsigned 64-bit integer")
            }
        }
        var workers = ProcessInfo.processInfo.activeProcessorCount
        if let text = environment["PROPERTY_WORKERS"] {
            guard let w = Int(text), w >= 1 else {
                throw PropertyEngineError.invalidSetting(name: "PROPERTY_WORKERS", value: text, expected: "an integer ≥ 1")
            }
            workers = w
        }
        var settings = Settings(profile: profile, rootSeed: seed, workers: workers)
        if let text = environment["PROPERTY_REPLAY"] {
            guard let colon = text.lastIndex(of: ":"), let trial = Int(text[text.index(after: colon)...]), trial >= 0,
                  colon != text.startIndex else {
                throw PropertyEngineError.invalidSetting(name: "PROPERTY_REPLAY", value: text, expected: "<property>:<trial>")
            }
            settings.replay = ReplayRequest(property: String(text[..<colon]), trial: trial)
        }
        if let path = environment["PROPERTY_REGRESSIONS"], !path.isEmpty {
            settings.regressionsFile = URL(fileURLWithPath: path)
        }
        return settings
    }

    /// The reproduction command for one trial of one property.
    public func replayCommand(property: String, trial: Int) -> String {
        fill(replayTemplate, property: property, trial: trial)
    }

    private func fill(_ template: String, property: String, trial: Int) -> String {
        template
            .replacingOccurrences(of: "{profile}", with: profile.rawValue)
            .replacingOccurrences(of: "{seed}", with: String(rootSeed))
            .replacingOccurrences(of: "{property}", with: property)
            .replacingOccurrences(of: "{trial}", with: String(trial))
            .replacingOccurrences(of: "{filter}", with: testFilter ?? property)
    }

    /// The command that reruns a whole property with this seed (no trial replay).
    public func rerunCommand(property: String) -> String {
        if let rerunTemplate { return fill(rerunTemplate, property: property, trial: 0) }
        return replayCommand(property: property, trial: 0)
            .replacingOccurrences(of: "PROPERTY_REPLAY='\(property):0' ", with: "")
    }
}
