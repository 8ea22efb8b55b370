import Foundation
import Randomness
import Statistics

/// Which end of a range a generator shrinks toward.
public enum ShrinkTarget: Sendable {
    /// Shrink toward the lower bound (smaller d, shorter L, smaller budgets).
    case lowerBound
    /// Shrink toward the upper bound (e.g. larger gaps).
    case upperBound
}

/// The building-block generators; all of them shrink (see `Generator`).
public enum Gen {
    /// Always `value` (draws nothing).
    public static func constant<T: Sendable>(_ value: T) -> Generator<T> {
        Generator { _ in value }
    }

    /// Integers in `range`, uniform, shrinking toward `target` (e.g. dimensions, lengths, budgets).
    public static func integers(in range: ClosedRange<Int>, shrinkingToward target: ShrinkTarget = .lowerBound) -> Generator<Int> {
        let span = UInt64(bitPattern: Int64(range.upperBound &- range.lowerBound))
        return Generator { source in
            let k = try source.draw(maximum: span)
            switch target {
            case .lowerBound: return range.lowerBound &+ Int(truncatingIfNeeded: k)
            case .upperBound: return range.upperBound &- Int(truncatingIfNeeded: k)
            }
        }
    }

    /// Booleans, true with `probability`; shrinks toward false.
    public static func booleans(probability: Double = 0.5) -> Generator<Bool> {
        Generator { source in try source.drawFraction() > 1 - probability }
    }

    /// One of `elements`, uniform; shrinks toward the first. An empty list rejects the trial.
    public static func element<T: Sendable>(of elements: [T]) -> Generator<T> {
        Generator { source in
            guard !elements.isEmpty else { throw TrialRejected(reason: "element(of:) given no elements") }
            return elements[Int(try source.draw(maximum: UInt64(elements.count - 1)))]
        }
    }

    /// Reals uniform in `range` (2⁵³ grid steps), shrinking toward `target`; shrinking also
    /// clears low-order choice bits, which makes values rounder.
    public static func reals(in range: ClosedRange<Double>, shrinkingToward target: ShrinkTarget = .lowerBound) -> Generator<Double> {
        Generator { source in
            let u = try source.drawFraction()
            let width = range.upperBound - range.lowerBound
            switch target {
            case .lowerBound: return min(range.lowerBound + u * width, range.upperBound)
            case .upperBound: return max(range.upperBound - u * width, range.lowerBound)
            }
        }
    }

    /// Positive reals log-uniform in `range` (scales such as λ, step sizes, gaps).
    public static func logUniform(in range: ClosedRange<Double>, shrinkingToward target: ShrinkTarget = .lowerBound) -> Generator<Double> {
        let low = log(range.lowerBound), high = log(range.upperBound)
        return reals(in: low...high, shrinkingToward: target).map { value in
            min(max(exp(value), range.lowerBound), range.upperBound)
        }
    }

    /// A standard normal draw that shrinks toward 0: the choice's low bit is the sign, the
    /// rest is the quantile level of |Z|, so choice 0 gives exactly 0.
    public static func standardNormal() -> Generator<Double> {
        Generator { source in
            let k = try source.draw(maximum: (1 << 53) - 1)
            let u = Double(k >> 1) / 4_503_599_627_370_496.0  // in [0, 1)
            let magnitude = u == 0 ? 0 : -(try Normal.quantile((1 - u) / 2))
            return k & 1 == 1 ? -magnitude : magnitude
        }
    }

    /// `count` independent values of `element`.
    public static func arrays<T>(of element: Generator<T>, count: Int) -> Generator<[T]> {
        Generator { source in
            var values: [T] = []
            values.reserveCapacity(max(count, 0))
            for _ in 0..<max(count, 0) { values.append(try element.generate(from: &source)) }
            return values
        }
    }

    /// A standard Gaussian vector of the given dimension (shrinks toward the zero vector).
    public static func gaussianVectors(dimension: Int) -> Generator<[Double]> {
        arrays(of: standardNormal(), count: dimension)
    }

    /// Unit vectors uniform on the sphere of R^dimension; shrinks toward sparse vectors and
    /// finally to the first basis vector e₁.
    public static func unitVectors(dimension: Int) -> Generator<[Double]> {
        gaussianVectors(dimension: dimension).map { g in
            let norm = g.reduce(0) { $0 + $1 * $1 }.squareRoot()
            if norm == 0 || !norm.isFinite {
                var e1 = [Double](repeating: 0, count: g.count)
                if !e1.isEmpty { e1[0] = 1 }
                return e1
            }
            return g.map { $0 / norm }
        }
    }

    /// Spectra: `dimension` positive eigenvalues in decreasing order, λ₁ = `top`, relative top
    /// gap (λ₁ − λ₂)/λ₁ in `topGap` and each further ratio λᵢ₊₁/λᵢ in `tailRatio`. Shrinks toward
    /// the largest gap and a flat tail (all ratios 1), the simplest spectra.
    public static func spectra(
        dimension: Generator<Int>, topGap: ClosedRange<Double>, tailRatio: ClosedRange<Double> = 0.5...1, top: Double = 1
    ) -> Generator<Spectrum> {
        dimension.flatMap { d in
            Generator { source in
                guard d >= 1 else { throw TrialRejected(reason: "spectrum dimension \(d) < 1") }
                var values = [top]
                if d >= 2 {
                    let gap = try reals(in: topGap, shrinkingToward: .upperBound).generate(from: &source)
                    values.append(top * (1 - gap))
                    for _ in 2..<d {
                        let ratio = try reals(in: tailRatio, shrinkingToward: .upperBound).generate(from: &source)
                        values.append(values[values.count - 1] * ratio)
                    }
                }
                guard values.allSatisfy({ $0 > 0 && $0.isFinite }) else {
                    throw TrialRejected(reason: "spectrum not positive")
                }
                return Spectrum(eigenvalues: values)
            }
        }
    }

    /// Lifts an external instance generator `make(&stream, parameters)` into a shrinkable one:
    /// the parameters come from the shrinkable `parameters` generator, the stream from a single
    /// recorded 64-bit seed choice (shrinking toward seed 0 is weak but valid).
    public static func lifting<P, T>(
        parameters: Generator<P>, _ make: @escaping @Sendable (inout RandomStream, P) throws -> T
    ) -> Generator<T> {
        Generator { source in
            let p = try parameters.generate(from: &source)
            var stream = RandomStream(seed: try source.draw(maximum: .max))
            return try make(&stream, p)
        }
    }

    /// Pairs of values from two generators.
    public static func zip<A, B>(_ a: Generator<A>, _ b: Generator<B>) -> Generator<(A, B)> {
        Generator { source in (try a.generate(from: &source), try b.generate(from: &source)) }
    }

    /// Triples of values from three generators.
    public static func zip<A, B, C>(_ a: Generator<A>, _ b: Generator<B>, _ c: Generator<C>) -> Generator<(A, B, C)> {
        Generator { source in
            (try a.generate(from: &source), try b.generate(from: &source), try c.generate(from: &source))
        }
    }
}
