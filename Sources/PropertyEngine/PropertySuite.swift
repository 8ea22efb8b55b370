import Statistics

/// Runs many properties with run-level error control: the family-wise false-fail rate is
/// split equally over the statistical properties (Bonferroni, valid under any dependence;
/// Holm's step-down needs p-values, which anytime-valid sequential tests do not produce).
/// Universal properties have no sampling false-fail rate, so they take no share.
public enum PropertySuite {
    /// Runs `properties` in order; each statistical one is held to α_family / (number of them).
    /// If `settings.cancellation` is set during the run, the property under way keeps its
    /// completed trials (marked interrupted) and the rest are listed in `notRun`.
    public static func run(_ properties: [any Property], familyFalseFailRate: Double, settings: Settings) throws -> RunReport {
        try decide(properties, records: [:], familyFalseFailRate: familyFalseFailRate, settings: settings)
    }

    /// The run's verdicts from saved trial records (by property name, e.g. merged shards),
    /// evaluating whatever trials are missing; identical to `run` with the same settings.
    public static func decide(_ properties: [any Property], records: [String: [TrialRecord]],
                              familyFalseFailRate: Double, settings: Settings) throws -> RunReport {
        let share = try bonferroniShare(properties, familyFalseFailRate: familyFalseFailRate)
        var results: [PropertyResult] = []
        var notRun: [String] = []
        for property in properties {
            if settings.cancellation?.isCancelled == true {
                notRun.append(property.name)
                continue
            }
            results.append(property.decide(records[property.name] ?? [], settings: settings,
                                           falseFailRate: property.kind == .statistical ? share : nil))
        }
        return RunReport(familyFalseFailRate: familyFalseFailRate, perPropertyFalseFailRate: share,
                         profile: settings.profile, rootSeed: settings.rootSeed, results: results, notRun: notRun)
    }

    /// The trial records of `shard` for every property, in order (see `Property.records(for:settings:)`);
    /// on cancellation the property under way keeps its records and the rest get none.
    public static func records(_ properties: [any Property], shard: Shard, settings: Settings) -> [ShardRecords] {
        properties.map { property in
            if settings.cancellation?.isCancelled == true {
                return ShardRecords(property: property.name, shard: shard, records: [], interrupted: true)
            }
            return property.records(for: shard, settings: settings)
        }
    }

    /// α_family / (number of statistical properties), the α each statistical property is held to.
    public static func bonferroniShare(_ properties: [any Property], familyFalseFailRate: Double) throws -> Double {
        let statistical = properties.filter { $0.kind == .statistical }.count
        return try MultipleTesting.bonferroniShare(alpha: familyFalseFailRate, count: max(statistical, 1))
    }
}
