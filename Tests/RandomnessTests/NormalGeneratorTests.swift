import Foundation
import Randomness
import Statistics
import Testing

/// The vectorised generator's contract: the same bits on every instruction set, one sequence
/// whatever the request sizes, lanes that look independent, and slow-path functions (exp, log)
/// within their stated accuracy. The distribution itself is tested in `NormalDistributionTests`.
@Suite struct NormalGeneratorTests {
    /// 2e6 values: about 8600 take the slow path (0.43%) and about 107 the tail beyond R.
    static let identityCount = 2_000_000

    /// Skipped (and so reported, never passed) where only the baseline build runs: there would be nothing to compare.
    @Test(.enabled(if: NormalSampler.InstructionSet.available.count >= 2, "only the baseline build runs on this CPU"))
    func everyInstructionSetWritesTheSameBits() {
        let sets = NormalSampler.InstructionSet.available
        var reference = [Double](repeating: 0, count: Self.identityCount)
        var stream = RandomStream(seed: distributionSeed).child("identity")
        reference.withUnsafeMutableBufferPointer { NormalSampler.fill($0, from: &stream, instructionSet: .baseline) }
        // The comparison covers both paths: values beyond R come only from the tail sampler,
        // and values the fast path cannot produce (|z| >= x[i + 1] for their layer) from the slow path.
        let r = NormalSampler.tailStart
        #expect(reference.filter { abs($0) > r }.count > 50)
        for set in sets.dropFirst() {
            var values = [Double](repeating: 0, count: Self.identityCount)
            var again = RandomStream(seed: distributionSeed).child("identity")
            values.withUnsafeMutableBufferPointer { NormalSampler.fill($0, from: &again, instructionSet: set) }
            let differing = Self.differingBits(values, reference)
            #expect(differing == 0, "\(set): \(differing) values differ from the baseline build")
        }
        // Control: the comparison sees a one-ulp change in a single value.
        var nudged = reference
        nudged[Self.identityCount / 2] = nudged[Self.identityCount / 2].nextUp
        #expect(Self.differingBits(nudged, reference) == 1)
    }

    /// How many positions of `a` and `b` (same length) hold different bit patterns.
    static func differingBits(_ a: [Double], _ b: [Double]) -> Int {
        precondition(a.count == b.count)
        return zip(a, b).filter { $0.0.bitPattern != $0.1.bitPattern }.count
    }

    @Test func anySplitOfARequestGivesTheSameSequence() {
        let root = RandomStream(seed: 77)
        var whole = root
        let expected = whole.normals(10_000)
        // Pieces that straddle blocks of eight in every way, single draws included.
        var pieces = root
        var got: [Double] = []
        let sizes = [1, 7, 8, 9, 3, 1, 1, 16, 5, 1000, 13, 2, 4096]
        var k = 0
        while got.count < expected.count {
            let n = min(sizes[k % sizes.count], expected.count - got.count)
            got += n == 1 ? [pieces.normal()] : pieces.normals(n)
            k += 1
        }
        #expect(got == expected)
        // Normals and words are separate sequences of one key: neither moves the other.
        var a = RandomStream(seed: 5), b = RandomStream(seed: 5)
        _ = a.normals(1001)
        #expect(a.next() == b.next())  // a's normals did not move its words
        for _ in 0..<17 { _ = b.next() }
        _ = b.normals(1001)
        #expect(a.normals(9) == b.normals(9))  // b's words did not move its normals
    }

    /// Correlation z-scores (sqrt(n) times the sample correlation) of lane k against lane k'
    /// (k < k', 28 pairs) and of each lane against its own next value (8 lags), on the values
    /// and on their squares (dependence in magnitude), over `blocks` blocks of eight.
    func laneCorrelations(_ z: [Double], blocks: Int) -> [Double] {
        let lanes = NormalSampler.lanes
        let lane = (0..<lanes).map { k in (0..<blocks).map { z[$0 * lanes + k] } }
        var scores: [Double] = []
        for transform in [{ (x: Double) in x }, { (x: Double) in x * x }] {
            let t = lane.map { $0.map(transform) }
            for k in 0..<lanes {
                for k2 in (k + 1)..<lanes { scores.append(correlationZ(t[k], t[k2])) }
                scores.append(correlationZ(Array(t[k].dropLast()), Array(t[k].dropFirst())))
            }
        }
        return scores
    }

    @Test func lanesLookIndependent() throws {
        // 72 correlation tests (28 lane pairs and 8 lag-one pairs, on z and on z^2), each
        // approximately N(0, 1) under independence (n = 1e6 blocks; z^2 has finite fourth
        // moments, so the CLT holds), Bonferroni at perTestAlpha / 72: critical |z| 5.9.
        let blocks = 1_000_000
        let lanes = NormalSampler.lanes
        var stream = RandomStream(seed: distributionSeed).child("lanes")
        let z = stream.normals(blocks * lanes)
        let scores = laneCorrelations(z, blocks: blocks)
        #expect(scores.count == 72)
        let critical = try Normal.upperQuantile(perTestAlpha / Double(2 * scores.count))
        #expect(scores.allSatisfy { abs($0) <= critical }, "largest |z| \(scores.map(abs).max() ?? 0)")
        // Control: lane 3 copies lane 2 in one block of 50 (a lane seeded like its neighbour
        // now and then): correlation 0.02 = 20 standard errors, on z and on z^2.
        var coin = RandomStream(seed: 8)
        var leaky = z
        for b in 0..<blocks where coin.integer(below: 50) == 0 { leaky[b * lanes + 3] = leaky[b * lanes + 2] }
        let leakyScores = laneCorrelations(leaky, blocks: blocks)
        // Pair (2, 3) is the first pair of lane 2: after lanes 0 and 1's 7 + 1 and 6 + 1 scores.
        let pair = 8 + 7 + 0
        #expect(abs(leakyScores[pair]) > critical && abs(leakyScores[36 + pair]) > critical)
    }

    @Test func slowPathExpAndLogMatchTheLibraryWithinTheirBounds() {
        // Ours: exp within 2 ulp (Cody-Waite reduction exact to ~1e-20, the degree-13 polynomial
        // by Estrin's scheme within 1.5 ulp, 2^n exact), log within 2 ulp (s = (m-1)/(m+1) to 1
        // ulp, the series' rounding below 0.1 ulp of the result, one final addition). The
        // library's within 1 ulp (glibc's documented bound for exp and log). So they differ by
        // at most 3 ulp of the result.
        var stream = RandomStream(seed: 12)
        var worstExp = 0.0, worstLog = 0.0
        for i in 0..<200_000 {
            // Arguments where the generator calls them: the wedge test's -c^2 / 2 >= -8.2, and
            // the whole domain down to -708; logs of (0, 1) across its exponent range.
            let x = i % 2 == 0 ? -8.2 * stream.uniform() : -708 * stream.uniform()
            worstExp = max(worstExp, abs(NormalSampler.kernelExponential(x) - exp(x)) / exp(x).ulp)
            let y = stream.openUniform() * pow(2, -Double(stream.integer(below: 53)))
            worstLog = max(worstLog, abs(NormalSampler.kernelLogarithm(y) - log(y)) / log(y).ulp)
        }
        #expect(worstExp <= 3, "exp: worst \(worstExp) ulp")
        #expect(worstLog <= 3, "log: worst \(worstLog) ulp")
        // Edges: exp(0) = 1, the clamp at -708, log(1) = 0, log of the smallest open uniform.
        #expect(NormalSampler.kernelExponential(0) == 1)
        #expect(NormalSampler.kernelExponential(-800) == NormalSampler.kernelExponential(-708))
        #expect(NormalSampler.kernelLogarithm(1) == 0)
        #expect(abs(NormalSampler.kernelLogarithm(0x1p-53) - log(0x1p-53)) <= 3 * log(0x1p-53).ulp)
    }
}
