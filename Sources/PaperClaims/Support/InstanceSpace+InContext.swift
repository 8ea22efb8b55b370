import PropertyEngine

extension InstanceSpace {
    /// The spiked-model parameters the in-context claims range over, in draw order:
    /// ((d, n), (xi, theta), lam) from `dimension`, `wishart-degrees`, `xi`, `theta`
    /// (log-uniform, shrinking toward the strongest spike) and `lam` (log-uniform).
    static func inContextParameters(_ section: CatalogueSection) throws(CatalogueError) -> Generator<((Int, Int), (Double, Double), Double)> {
        let dimensions = try section.dimensionRange(atLeast: 1)
        let ns = try section.integerRange("wishart-degrees", atLeast: 1)
        let xis = try section.range("xi", positive: true)
        let thetas = try section.range("theta", positive: true)
        let lams = try section.range("lam", positive: true)
        return Gen.zip(Gen.zip(Gen.integers(in: dimensions).observed(as: "d"), Gen.integers(in: ns).observed(as: "n")),
                       Gen.zip(Gen.reals(in: xis).observed(as: "xi"), Gen.logUniform(in: thetas, shrinkingToward: .upperBound).observed(as: "theta")),
                       Gen.logUniform(in: lams).observed(as: "lam"))
    }

    /// The spike strength theta of V = xi^2 I + theta v v^T, or, under `.noSpectralGap`,
    /// 1e-15 xi^2: a spike too weak to define v in float64 arithmetic (the no-gap control).
    static func spikeStrength(theta: Double, xi: Double, sabotage: Sabotage?) -> Double {
        sabotage == .noSpectralGap ? 1e-15 * xi * xi : theta
    }
}
