/// An ordered list of positive eigenvalues λ₁ ≥ λ₂ ≥ … > 0 (the output of `Gen.spectra`).
public struct Spectrum: Codable, Equatable, Sendable, CustomStringConvertible {
    /// The eigenvalues in decreasing order.
    public let eigenvalues: [Double]

    /// Creates a spectrum from eigenvalues already in decreasing order.
    public init(eigenvalues: [Double]) { self.eigenvalues = eigenvalues }

    /// The dimension (number of eigenvalues).
    public var dimension: Int { eigenvalues.count }

    /// The relative top gap (λ₁ − λ₂)/λ₁ (1 for a one-dimensional spectrum).
    public var relativeTopGap: Double {
        eigenvalues.count < 2 ? 1 : (eigenvalues[0] - eigenvalues[1]) / eigenvalues[0]
    }

    /// "λ = [1, 0.5, …]".
    public var description: String { "λ = \(eigenvalues)" }
}
