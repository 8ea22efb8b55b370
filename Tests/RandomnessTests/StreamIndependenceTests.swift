import Foundation
import Randomness
import Statistics
import Testing

/// Independence of the streams the harness derives: children of one parent, a parent and its
/// child, adjacent seeds, and consecutive outputs of one stream. Each test runs at
/// `perTestAlpha` (Bonferroni inside) and has a negative control with a stated effect size.
@Suite struct StreamIndependenceTests {
    static let pairs = 1_000_000

    /// The pairs of streams that must look independent.
    static func streamPairs() -> [(String, RandomStream, RandomStream)] {
        let root = RandomStream(seed: 777)
        return [
            ("adjacent children", root.child(0), root.child(1)),
            ("adjacent text labels", root.child("trial-1"), root.child("trial-2")),
            ("parent and child", root, root.child(0)),
            ("adjacent seeds", RandomStream(seed: 1), RandomStream(seed: 2)),
            ("grandchildren", root.child(5).child(0), root.child(6).child(0)),
        ]
    }

    /// The p-value of a chi-square test of uniformity of the 256 cells (4 bits of a, 4 bits of
    /// b) at bit offset `shift`: tests the two nibbles' joint uniformity, hence independence.
    func jointNibblePValue(_ a: [UInt64], _ b: [UInt64], shift: UInt64) throws -> Double {
        var cells = [Int](repeating: 0, count: 256)
        for i in a.indices { cells[Int((a[i] >> shift) & 0xF) << 4 | Int((b[i] >> shift) & 0xF)] += 1 }
        let expected = Double(a.count) / 256
        let chi2 = cells.reduce(0.0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }
        return try ChiSquare(degreesOfFreedom: 255).survival(chi2)
    }

    func words(_ stream: RandomStream, _ count: Int) -> [UInt64] {
        var s = stream
        return (0..<count).map { _ in s.next() }
    }

    func toUniform(_ w: [UInt64]) -> [Double] { w.map { Double($0 >> 11) * 0x1.0p-53 } }

    /// A stream `b` that copies `a` with probability 1/50: correlation 0.02 = 20 standard errors
    /// at n = 1e6; in the nibble test the diagonal cells gain 1250 counts each over an
    /// expectation of 3906 (chi-square excess about 6400 on 255 degrees of freedom).
    func leaky(_ a: [UInt64], _ b: [UInt64]) -> [UInt64] {
        var coin = RandomStream(seed: 8)
        return a.indices.map { coin.integer(below: 50) == 0 ? a[$0] : b[$0] }
    }

    /// Per pair: correlation of uniforms, correlation of normals, top-nibble and bottom-nibble
    /// chi-square. Bonferroni over all.
    @Test func derivedStreamsLookIndependent() throws {
        let pairs = Self.streamPairs()
        let alpha = perTestAlpha / Double(4 * pairs.count)
        let critical = try Normal.upperQuantile(alpha / 2)
        func rejections(_ a: [UInt64], _ b: [UInt64]) throws -> [Bool] {
            [abs(correlationZ(toUniform(a), toUniform(b))) > critical,
             try jointNibblePValue(a, b, shift: 60) < alpha,
             try jointNibblePValue(a, b, shift: 0) < alpha]
        }
        for (name, first, second) in pairs {
            let (a, b) = (words(first, Self.pairs), words(second, Self.pairs))
            #expect(try rejections(a, b) == [false, false, false], "\(name)")
            var (s, t) = (first, second)
            let z = correlationZ(s.normals(Self.pairs), t.normals(Self.pairs))
            #expect(abs(z) <= critical, "\(name): normals correlation z = \(z)")
            // Control on the same pair: the leaky stream is rejected by every check.
            #expect(try rejections(a, leaky(a, b)) == [true, true, true], "\(name) control")
        }
    }

    @Test func consecutiveOutputsLookIndependent() throws {
        // Lag-1 correlation and lag-1 nibble pairs within one stream, Bonferroni over three.
        let alpha = perTestAlpha / 3
        let critical = try Normal.upperQuantile(alpha / 2)
        let w = words(RandomStream(seed: 31), Self.pairs + 1)
        let (a, b) = (Array(w.dropLast()), Array(w.dropFirst()))
        #expect(abs(correlationZ(toUniform(a), toUniform(b))) <= critical)
        #expect(try jointNibblePValue(a, b, shift: 60) >= alpha)
        #expect(try jointNibblePValue(a, b, shift: 0) >= alpha)
        // Control: a lag-1 autoregression u_t = 0.98 v_t + 0.02 u_{t-1} has lag-1 correlation
        // about 0.02 = 20 standard errors.
        let u = toUniform(w)
        var ar = [Double](repeating: 0, count: u.count)
        for t in 1..<u.count { ar[t] = 0.98 * u[t] + 0.02 * ar[t - 1] }
        #expect(abs(correlationZ(Array(ar.dropLast()), Array(ar.dropFirst()))) > critical)
    }
}
