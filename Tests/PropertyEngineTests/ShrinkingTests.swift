import Testing
import PropertyEngine
import Randomness

/// A false universal property is found and shrunk to its known minimal counterexample.
/// Deterministic given the seed; each property fails on a large share of instances, so a broken
/// generator or shrinker (not a lucky seed) is the only way these checks can fail.
struct ShrinkingTests {
    @Test func integerShrinksToBoundary() {
        let p = UniversalProperty("n < 1234", generator: Gen.integers(in: 0...10_000)) { n in n < 1234 }
        let r = p.run(fixedSettings())
        #expect(r.decision == .fails)
        #expect(r.counterexample?.instance == "1234")
    }

    @Test func listShrinksToSingleMinimalElement() {
        // Fails when any entry ≥ 50; the shortlex-minimal failing case is d = 1, [50].
        let lists = Gen.integers(in: 1...20).flatMap { d in Gen.arrays(of: Gen.integers(in: 0...100), count: d) }
        let p = UniversalProperty("entries below 50", generator: lists) { v in v.allSatisfy { $0 < 50 } }
        let r = p.run(fixedSettings())
        #expect(r.decision == .fails)
        #expect(r.counterexample?.instance == "[50]")
        #expect(r.counterexample?.originalInstance != "[50]")  // it really was shrunk
    }

    @Test func realShrinksToTheFirstGridPointPastTheBoundary() throws {
        // x = 10·k/2⁵³; the minimal counterexample of x² < 50 is the smallest k with x² ≥ 50.
        let p = UniversalProperty("x² < 50", generator: Gen.reals(in: 0...10)) { x, _ in Check.atMost(x * x, 50, "x²") }
        let r = p.run(fixedSettings())
        let c = try #require(r.counterexample)
        let k = try #require(c.choices.first)
        func x(_ k: UInt64) -> Double { 0 + Double(k) / 9_007_199_254_740_992.0 * 10 }
        #expect(x(k) * x(k) >= 50 && x(k - 1) * x(k - 1) < 50)
        #expect(c.check.measurements.first?.measured == x(k) * x(k))
        #expect(c.check.measurements.first?.reference == 50)
    }

    @Test func spectrumShrinksToSmallestDimensionAndLargestFailingGap() throws {
        // Fails when the relative top gap is below 0.3; simplest: d = 2, gap just below 0.3.
        let spectra = Gen.spectra(dimension: Gen.integers(in: 2...12), topGap: 0.01...0.9)
        let p = UniversalProperty("top gap ≥ 0.3", generator: spectra) { s in s.relativeTopGap >= 0.3 }
        let r = p.run(fixedSettings())
        let c = try #require(r.counterexample)
        var source = ChoiceSource(replaying: c.choices)
        let s = try spectra.generate(from: &source)
        #expect(s.dimension == 2)
        // One grid step of the gap choice is 0.89/2⁵³ ≈ 1e-16; 1e-12 is 10⁴ steps of slack
        // for the shrinker's binary search stopping on the right side of the boundary.
        #expect(s.relativeTopGap < 0.3 && s.relativeTopGap > 0.3 - 1e-12)
    }

    @Test func liftedGeneratorShrinksItsParametersAndSeed() {
        // External generator: n uniforms from a stream. Parameter n shrinks to 10, seed to 0.
        let lifted = Gen.lifting(parameters: Gen.integers(in: 1...50)) { (stream: inout RandomStream, n: Int) in
            (0..<n).map { _ in stream.uniform() }
        }
        let p = UniversalProperty("fewer than 10 samples", generator: lifted) { xs in xs.count < 10 }
        let r = p.run(fixedSettings())
        #expect(r.counterexample?.choices == [9, 0])
    }

    @Test func thrownErrorIsACounterexample() {
        struct Boom: Error {}
        let p = UniversalProperty("never throws", generator: Gen.integers(in: 0...100)) { (n: Int) -> Bool in
            if n >= 7 { throw Boom() }
            return true
        }
        let r = p.run(fixedSettings())
        #expect(r.counterexample?.instance == "7")
        #expect(r.counterexample?.thrownError != nil)
    }

    @Test func truePropertyHoldsForItsWholeBudget() {
        let p = UniversalProperty("unit vectors have norm 1", generator: Gen.integers(in: 1...16).flatMap { Gen.unitVectors(dimension: $0) }) { v, _ in
            // n roundings of squares and a sum: |Σvᵢ² − 1| ≤ (n + 2)ε ≤ 18ε; 1e-14 ≈ 45ε.
            Check.close(v.reduce(0) { $0 + $1 * $1 }, to: 1, tolerance: 1e-14, "‖v‖²")
        }
        let r = p.run(fixedSettings())
        #expect(r.decision == .holds)
        #expect(r.trials == Budget.standard.quick)
    }
}
