import Foundation
import Randomness

/// Finds two trials that drew the same choice sequence: independent trials coincide with
/// probability at most 2^-bits, so a repeated sequence carrying at least 64 bits means the
/// trials shared their randomness (a stream-derivation bug), and every statistic that counts
/// them separately overstates its evidence. Shorter sequences (small discrete instance spaces)
/// may repeat by chance and are not judged.
struct DuplicateTrialDetector {
    /// The entropy a sequence must carry before a repeat is judged a bug.
    static let minimumBits = 64.0
    private var seen: [Fingerprint: Int] = [:]

    private struct Fingerprint: Hashable {
        let a: UInt64
        let b: UInt64
        let count: Int
    }

    /// log2 of the number of sequences with these choices' maxima (uniform draws' entropy).
    static func bits(_ choices: [Choice]) -> Double {
        choices.reduce(0) { $0 + ($1.maximum == .max ? 64 : log2(Double($1.maximum) + 1)) }
    }

    /// Records trial `trial`'s choices; returns the earlier trial that drew the same sequence.
    mutating func insert(_ choices: [Choice], trial: Int) -> Int? {
        guard Self.bits(choices) >= Self.minimumBits else { return nil }
        // Two independent 64-bit digests: a false match needs both to collide.
        var a: UInt64 = 0x9E37_79B9_7F4A_7C15, b: UInt64 = 0xD1B5_4A32_D192_ED03
        for choice in choices {
            a = SplitMix64.mix(a ^ choice.value)
            b = SplitMix64.mix(b &+ choice.value &* 0xFF51_AFD7_ED55_8CCD)
        }
        let key = Fingerprint(a: a, b: b, count: choices.count)
        if let earlier = seen[key] { return earlier }
        seen[key] = trial
        return nil
    }
}
