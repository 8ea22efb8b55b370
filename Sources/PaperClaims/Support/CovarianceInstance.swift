import Foundation
import Instances
import LinearAlgebra
import PropertyEngine
import Randomness

/// A generated covariance with the family it came from, printed compactly in counterexamples.
public struct CovarianceInstance: Sendable, CustomStringConvertible {
    /// The covariance S.
    public let covariance: Covariance
    /// The spectral family's name (as in the catalogue).
    public let family: String

    /// (s_1 - s_2) / s_1.
    public var relativeGap: Double { covariance.topGap / covariance.eigenvalues[0] }

    public var description: String {
        let s = covariance.eigenvalues
        let shown = s.count <= 6 ? s.map { String(format: "%.4g", $0) }.joined(separator: ", ")
            : (s.prefix(3).map { String(format: "%.4g", $0) } + ["...", String(format: "%.4g", s.last!)]).joined(separator: ", ")
        return "S: d = \(s.count), \(family) spectrum [\(shown)], relative top gap \(String(format: "%.3g", relativeGap)), "
            + "condition number \(String(format: "%.3g", covariance.conditionNumber))"
    }
}

/// Shrinkable generators of the instances the claims range over, configured by a claim's
/// `instances:` section. Shrinking moves toward small d, large gaps and the flat family.
enum InstanceSpace {
    /// Every spectral family a claim file may list under `spectra`.
    static let families = ["flat", "power-law", "spike", "near-degenerate", "condition-number", "paper"]

    /// Covariances over `dimension: [lo, hi]`, `spectra: [...]` and `relative-gap-floor: g`
    /// (plus `condition-number-max`, default 1e3). With `.noSpectralGap` every instance gets
    /// s_1 = s_2 (the negative control for direction claims).
    static func covariances(_ section: CatalogueSection, sabotage: Sabotage?) throws(CatalogueError) -> Generator<CovarianceInstance> {
        let floor = try section.number("relative-gap-floor")
        guard floor > 0, floor < 0.9 else {
            throw CatalogueError(file: section.file, field: "instances.relative-gap-floor", problem: "must be in (0, 0.9), got \(floor)")
        }
        let maxCondition = section.has("condition-number-max") ? try section.number("condition-number-max") : 1e3
        let noGap = sabotage == .noSpectralGap
        if CovarianceFile.isNamed(in: section) {
            // The user's covariance, read and checked once, for every trial. The no-gap control
            // keeps its synthetic instance, in the file's dimension.
            let fixed = try CovarianceFile.instance(section, floor: floor, maxCondition: maxCondition)
            if !noGap { return Gen.constant(fixed).labelled { $0.family } }
            let d = max(2, fixed.covariance.dimension)
            return Gen.lifting(parameters: Gen.constant(d)) { stream, d in
                CovarianceInstance(covariance: try make(family: "flat", dimension: d, knob: 1, floor: floor, maxCondition: maxCondition,
                                                        noGap: true, stream: &stream), family: "flat")
            }
        }
        let dimensions = try section.dimensionRange(atLeast: 1)
        let chosen = try section.texts("spectra", allowed: families)
        let dimension = Gen.integers(in: max(dimensions.lowerBound, noGap ? 2 : 1)...max(dimensions.upperBound, noGap ? 2 : 1)).observed(as: "d")
        let parameters = Gen.zip(dimension, Gen.element(of: chosen), Gen.reals(in: 0...1, shrinkingToward: .upperBound))
        return Gen.lifting(parameters: parameters) { stream, p in
            let (d, family, u) = p
            let covariance = try make(family: family, dimension: d, knob: u, floor: floor, maxCondition: maxCondition, noGap: noGap, stream: &stream)
            let instance = CovarianceInstance(covariance: covariance, family: family)
            if !noGap, d > 1 { try assume(instance.relativeGap >= floor, "relative top gap below the floor \(floor)") }
            return instance
        }
        .labelled { $0.family }
        .observed(as: "relative gap") { $0.relativeGap }
        .observed(as: "condition number") { $0.covariance.conditionNumber }
    }

    /// One covariance of `family`; `knob` in [0, 1] sets the family's parameter (1 = easiest).
    static func make(family: String, dimension d: Int, knob u: Double, floor: Double, maxCondition: Double,
                     noGap: Bool, stream: inout RandomStream) throws -> Covariance {
        if noGap {
            // s_1 = s_2 = 1, the rest 0.5: u_1 is any unit vector of the top plane.
            return try Covariance.random(.explicit(eigenvalues: [1, 1] + [Double](repeating: 0.5, count: d - 2)), dimension: d, using: &stream)
        }
        let minimumGap = floor / (1 - floor)  // a gap g above a bulk at 1 gives relative gap g / (1 + g)
        let profile: SpectralProfile
        switch family {
        case "flat": profile = .flat(topGap: minimumGap + u * (4 - minimumGap))
        case "power-law": profile = .powerLaw(exponent: max(-log2(1 - floor) * 1.0001, 0.5 + 1.5 * u))
        case "spike": profile = .singleSpike(strength: minimumGap * pow(10 / minimumGap, u))
        case "near-degenerate": profile = .nearDegenerateTopPair(splitting: minimumGap * (1 + u), bulk: 0.5)
        case "condition-number": profile = .conditionNumber(pow(maxCondition, 0.1 + 0.9 * (1 - u)))
        default: profile = .paperGram(ridge: 0.1)
        }
        return try Covariance.random(profile, dimension: d, using: &stream)
    }
}
