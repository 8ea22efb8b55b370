import LinearAlgebra

/// A smooth population risk R(mu) with exact gradient and Hessian: what gradient descent
/// minimises and what the landscape claims inspect.
public protocol DifferentiableRisk: Sendable {
    /// The dimension d of mu.
    var dimension: Int { get }
    /// R(mu).
    func value(at mu: [Double]) -> Double
    /// The exact gradient of R at mu.
    func gradient(at mu: [Double]) -> [Double]
    /// The exact Hessian of R at mu.
    func hessian(at mu: [Double]) -> Matrix
    /// The critical points in closed form, as (point, risk value) pairs: the origin first, then
    /// one representative of each +- pair, ordered by risk (the global minimiser first).
    var criticalPoints: [CriticalPoint] { get }
}

/// A critical point of a risk with its value; `isGlobalMinimum` marks the (sign-symmetric)
/// minimiser.
public struct CriticalPoint: Sendable, Equatable {
    /// The point (one of the +- pair).
    public let point: [Double]
    /// The risk there.
    public let value: Double
    /// The index i of the eigen-direction it lies on (nil for the origin).
    public let direction: Int?

    /// A critical point at `point` with risk `value`, along eigen-direction `direction`.
    public init(point: [Double], value: Double, direction: Int?) {
        self.point = point
        self.value = value
        self.direction = direction
    }
}

extension DifferentiableRisk {
    /// The global minimiser (one of the +- pair): the first non-origin critical point.
    public var minimiser: [Double] { criticalPoints.first { $0.direction != nil }!.point }

    /// The minimum value of the risk.
    public var minimum: Double { criticalPoints.first { $0.direction != nil }!.value }

    /// The largest Hessian eigenvalue at the minimiser: 2 / it is the stable-step bound of GD.
    public var curvatureAtMinimum: Double {
        (try? hessian(at: minimiser).symmetricEigendecomposition().values.first) ?? .nan
    }
}
