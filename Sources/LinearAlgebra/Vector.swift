/// Small-vector arithmetic on `[Double]`, for the d-dimensional parameters of the models.
/// Loops are plain Swift: at d <= a few hundred they beat a BLAS call's fixed overhead.
extension Array where Element == Double {
    /// The inner product with `other` (same length).
    @inlinable
    public func dot(_ other: [Double]) -> Double {
        precondition(count == other.count, "dot needs equal lengths")
        var s = 0.0
        for i in indices { s += self[i] * other[i] }
        return s
    }

    /// The squared Euclidean norm.
    @inlinable
    public var squaredNorm: Double { dot(self) }

    /// The Euclidean norm.
    @inlinable
    public var norm: Double { squaredNorm.squareRoot() }

    /// This vector divided by its norm (unchanged if the norm is zero).
    public var normalised: [Double] {
        let n = norm
        return n > 0 ? map { $0 / n } : self
    }

    /// Each entry times `factor`.
    @inlinable
    public func scaled(by factor: Double) -> [Double] { map { $0 * factor } }

    /// Entrywise sum.
    @inlinable
    public func adding(_ other: [Double]) -> [Double] {
        precondition(count == other.count, "adding needs equal lengths")
        return zip(self, other).map { $0 + $1 }
    }

    /// Entrywise difference.
    @inlinable
    public func subtracting(_ other: [Double]) -> [Double] {
        precondition(count == other.count, "subtracting needs equal lengths")
        return zip(self, other).map { $0 - $1 }
    }

    /// |<self/|self|, target/|target|>|: the alignment the paper reports (1 = same line).
    public func alignment(with target: [Double]) -> Double {
        let n = norm * target.norm
        return n > 0 ? abs(dot(target)) / n : 0
    }

    /// True when every entry is finite.
    public var isFinite: Bool { allSatisfy { $0.isFinite } }
}
