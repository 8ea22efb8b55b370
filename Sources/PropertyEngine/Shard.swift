import Foundation

/// One of N shards of a run (`--shard k/N`): it evaluates the trials i with i mod N = k − 1,
/// so N machines split every property's trials and `Property.decide` over the merged records
/// reproduces the unsharded verdict exactly.
public struct Shard: Codable, Equatable, Hashable, Sendable, CustomStringConvertible {
    /// k, from 1 to `count`.
    public let index: Int
    /// N, the number of shards.
    public let count: Int

    /// Shard `index` of `count`; throws unless 1 ≤ index ≤ count.
    public init(index: Int, count: Int) throws {
        guard count >= 1, index >= 1, index <= count else {
            throw PropertyEngineError.invalidSetting(name: "shard", value: "\(index)/\(count)",
                                                     expected: "k/N with 1 ≤ k ≤ N (for example 2/8: the second of eight shards)")
        }
        self.index = index
        self.count = count
    }

    /// Parses "k/N" (e.g. "2/8"); throws a message naming the problem otherwise.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0].trimmingCharacters(in: .whitespaces)),
              let n = Int(parts[1].trimmingCharacters(in: .whitespaces)) else {
            throw PropertyEngineError.invalidSetting(name: "shard", value: text,
                                                     expected: "k/N with 1 ≤ k ≤ N (for example 2/8: the second of eight shards)")
        }
        try self.init(index: k, count: n)
    }

    /// Whether trial `trial` belongs to this shard.
    public func contains(trial: Int) -> Bool { trial % count == index - 1 }

    /// "2/8".
    public var description: String { "\(index)/\(count)" }
}

/// The trial records one shard computed for one property (see `Property.records(for:settings:)`).
public struct ShardRecords: Codable, Equatable, Sendable {
    /// The property's name.
    public let property: String
    /// Which shard computed them.
    public let shard: Shard
    /// The records, in increasing trial index.
    public let records: [TrialRecord]
    /// True if the shard was stopped (Ctrl-C) before it finished its trials.
    public let interrupted: Bool

    /// Records of `property` computed by `shard`.
    public init(property: String, shard: Shard, records: [TrialRecord], interrupted: Bool) {
        self.property = property
        self.shard = shard
        self.records = records
        self.interrupted = interrupted
    }
}
