import AttentionModels
import Foundation
import Instances
import LinearAlgebra
import Randomness
import Testing

/// The layer's C kernel: its exponential, bit-identical results on every instruction set, and
/// the factored path (layer run on the normals with the factor folded in) against the tokens.
@Suite("Attention kernel")
struct AttentionKernelTests {
    /// Every layer variant: the paper's two layers and the wrong variants the controls use.
    static func variants(lam: Double) throws -> [AttentionLayer] {
        var layers = [AttentionLayer]()
        for kind in AttentionLayer.Kind.allCases {
            for includeQuery in [true, false] {
                for aggregation in kind == .linear ? [AttentionLayer.LinearAggregation.sum, .mean] : [.sum] {
                    layers.append(try AttentionLayer(kind: kind, lam: lam, keysIncludeQuery: includeQuery, linearAggregation: aggregation))
                }
            }
        }
        return layers
    }

    /// The summed loss and gradient of a factored unit.
    static func evaluate(_ layer: AttentionLayer, normals: [Double], factor: [Double], d: Int, m: Int, count: Int, length: Int,
                         mu: [Double], instructionSet: InstructionSet = .best,
                         batching: AttentionLayer.Batching = .automatic) -> (loss: Double, gradient: [Double]) {
        var gradient = [Double](repeating: 0, count: d)
        var scratch = [Double](repeating: 0, count: AttentionLayer.scratchCount(length: length, dimension: max(d, m)))
        let loss = normals.withUnsafeBufferPointer { g in
            factor.withUnsafeBufferPointer { f in
                let unit = FactoredPrompts(normals: g.baseAddress!, factor: f.baseAddress!, dimension: d, latentDimension: m, count: count, length: length)
                return layer.lossAndGradient(unit, mu: mu, gradient: &gradient, scratch: &scratch, instructionSet: instructionSet,
                                             batching: batching)
            }
        }
        return (loss, gradient)
    }

    /// The summed loss and gradient on tokens given coordinate-major.
    static func evaluate(_ layer: AttentionLayer, tokens: [Double], d: Int, count: Int, length: Int, mu: [Double],
                         instructionSet: InstructionSet = .best,
                         batching: AttentionLayer.Batching = .automatic) -> (loss: Double, gradient: [Double]) {
        var gradient = [Double](repeating: 0, count: d)
        var scratch = [Double](repeating: 0, count: AttentionLayer.scratchCount(length: length, dimension: d))
        let loss = layer.lossAndGradient(prompts: tokens, count: count, length: length, dimension: d, mu: mu, gradient: &gradient,
                                         scratch: &scratch, instructionSet: instructionSet, batching: batching)
        return (loss, gradient)
    }

    /// X^T = F G for a d x m factor and coordinate-major normals (m x tokens), by plain loops.
    static func tokens(normals: [Double], factor: [Double], d: Int, m: Int, tokens n: Int) -> [Double] {
        var x = [Double](repeating: 0, count: d * n)
        for i in 0..<d { for k in 0..<n { for a in 0..<m { x[i * n + k] += factor[i * m + a] * normals[a * n + k] } } }
        return x
    }

    @Test("the kernel's exp is within 2 ulp of Foundation's on [-708, 0] on every instruction set, and its sum is the sum")
    func exponentialIsAccurate() {
        var stream = RandomStream(seed: 4)
        let arguments = (0..<10_003).map { _ in -708 * stream.uniform() * stream.uniform() } + [0, -1e-300, -0.5 * log(2.0), -708, -800]
        for set in InstructionSet.available {
            let (values, sum) = set.kernelExponentials(of: arguments)
            var worst = 0.0
            for (x, y) in zip(arguments, values) where x >= -708 {
                let exact = exp(x)
                worst = max(worst, abs(y - exact) / exact.ulp)
            }
            #expect(worst <= 2, "\(set): worst error \(worst) ulp")
            #expect(abs(values.last! - exp(-708.0)) <= 2 * exp(-708.0).ulp, "\(set): below -708 the result is clamped to exp(-708)")
            #expect(values[values.count - 5] == 1, "\(set): exp(0) must be exactly 1")
            // A reordered sum of positive terms is within n eps of the plain one (Higham).
            let plain = values.reduce(0, +)
            #expect(abs(sum - plain) <= Double(values.count) * Double.ulpOfOne * plain, "\(set)")
            // Every length 0...20 exercises the eight-lane blocks and the tail.
            for n in 0...20 {
                let (part, partSum) = set.kernelExponentials(of: Array(arguments.prefix(n)))
                #expect(part == Array(values.prefix(n)), "\(set): the tail of \(n) values")
                #expect(abs(partSum - part.reduce(0, +)) <= Double(n) * Double.ulpOfOne * partSum, "\(set): sum of \(n)")
            }
            let nan = set.kernelExponentials(of: [-1, .nan, -2])
            #expect(nan.values[1].isNaN && nan.sum.isNaN, "\(set): NaN must propagate (divergence is diagnosed from it)")
        }
    }

    @Test("every instruction set this CPU has gives bit-identical losses and gradients")
    func instructionSetsAgreeBitForBit() throws {
        var stream = RandomStream(seed: 61)
        let sets = InstructionSet.available
        for d in [1, 3, 5, 8] {
            for length in [1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 100] {
                let count = 3
                for m in Set([d, d + 2, max(1, d - 2)]).sorted() {
                    let normals = stream.normals(m * count * length)
                    let factor = stream.normals(d * m)
                    let mu = stream.normals(d)
                    let x = Self.tokens(normals: normals, factor: factor, d: d, m: m, tokens: count * length)
                    for layer in try Self.variants(lam: 0.7) where layer.keysIncludeQuery || length > 1 {
                        let reference = Self.evaluate(layer, normals: normals, factor: factor, d: d, m: m, count: count, length: length,
                                                      mu: mu, instructionSet: .baseline)
                        let tokenReference = Self.evaluate(layer, tokens: x, d: d, count: count, length: length, mu: mu, instructionSet: .baseline)
                        #expect(reference.loss.isFinite && reference.gradient.allSatisfy(\.isFinite))
                        for set in sets.dropFirst() {
                            let other = Self.evaluate(layer, normals: normals, factor: factor, d: d, m: m, count: count, length: length,
                                                      mu: mu, instructionSet: set)
                            let tokenOther = Self.evaluate(layer, tokens: x, d: d, count: count, length: length, mu: mu, instructionSet: set)
                            let where_ = "\(set) d=\(d) m=\(m) L=\(length) \(layer.kind) query-in-keys \(layer.keysIncludeQuery) \(layer.linearAggregation)"
                            #expect(other.loss.bitPattern == reference.loss.bitPattern, "\(where_)")
                            #expect(other.gradient.map(\.bitPattern) == reference.gradient.map(\.bitPattern), "\(where_)")
                            #expect(tokenOther.loss.bitPattern == tokenReference.loss.bitPattern, "\(where_)")
                            #expect(tokenOther.gradient.map(\.bitPattern) == tokenReference.gradient.map(\.bitPattern), "\(where_)")
                        }
                    }
                }
            }
        }
    }

    @Test("eight prompts side by side give bit-identical losses and gradients to one prompt at a time, on every instruction set")
    func batchingIsBitIdentical() throws {
        // Every length up to 40 crosses the kernel's sixteen- and eight-lane blocks and all
        // their tails; the long ones add several sixteen-blocks. Counts below, at and above a
        // multiple of 8 exercise the zero-padded lanes. Scores up to lam |alpha beta| ~ 30 (and
        // some prompts scaled to ~1e3, past exp's range without max-subtraction) reach the
        // softmax's clamped exponentials.
        var stream = RandomStream(seed: 64)
        for length in Array(1...40) + [63, 64, 65, 100, 129] {
            let d = 1 + length % 6, m = [d, max(1, d - 1), d + 1][length % 3]
            let count = [1, 7, 8, 9, 17][length % 5]
            var normals = stream.normals(m * count * length)
            if length % 4 == 0 { for k in stride(from: 0, to: normals.count, by: 5) { normals[k] *= 1e3 } }
            let factor = stream.normals(d * m), mu = stream.normals(d)
            let tokens = Self.tokens(normals: normals, factor: factor, d: d, m: m, tokens: count * length)
            for layer in try Self.variants(lam: 3) where layer.keysIncludeQuery || length > 1 {
                for set in InstructionSet.available {
                    let each = Self.evaluate(layer, normals: normals, factor: factor, d: d, m: m, count: count, length: length, mu: mu,
                                             instructionSet: set, batching: .eachPrompt)
                    let lanes = Self.evaluate(layer, normals: normals, factor: factor, d: d, m: m, count: count, length: length, mu: mu,
                                              instructionSet: set, batching: .eightPrompts)
                    let tokenEach = Self.evaluate(layer, tokens: tokens, d: d, count: count, length: length, mu: mu, instructionSet: set,
                                                  batching: .eachPrompt)
                    let tokenLanes = Self.evaluate(layer, tokens: tokens, d: d, count: count, length: length, mu: mu, instructionSet: set,
                                                   batching: .eightPrompts)
                    let where_ = "\(set) d=\(d) m=\(m) L=\(length) count=\(count) \(layer.kind) query-in-keys \(layer.keysIncludeQuery)"
                        + " \(layer.linearAggregation)"
                    #expect(each.loss.isFinite && each.gradient.allSatisfy(\.isFinite), "\(where_)")
                    #expect(lanes.loss.bitPattern == each.loss.bitPattern, "\(where_)")
                    #expect(lanes.gradient.map(\.bitPattern) == each.gradient.map(\.bitPattern), "\(where_)")
                    #expect(tokenLanes.loss.bitPattern == tokenEach.loss.bitPattern, "\(where_)")
                    #expect(tokenLanes.gradient.map(\.bitPattern) == tokenEach.gradient.map(\.bitPattern), "\(where_)")
                }
            }
        }
    }

    @Test("a factored unit with F = I gives bit-identical results to its tokens", arguments: [1, 4, 9])
    func identityFactorIsExact(d: Int) throws {
        var stream = RandomStream(seed: 62 + UInt64(d))
        let count = 4, length = 13
        let normals = stream.normals(d * count * length)
        let identity = Matrix.identity(d).elements
        let mu = stream.normals(d)
        for layer in try Self.variants(lam: 0.4) {
            let factored = Self.evaluate(layer, normals: normals, factor: identity, d: d, m: d, count: count, length: length, mu: mu)
            let direct = Self.evaluate(layer, tokens: normals, d: d, count: count, length: length, mu: mu)
            #expect(factored.loss.bitPattern == direct.loss.bitPattern, "\(layer)")
            #expect(factored.gradient.map(\.bitPattern) == direct.gradient.map(\.bitPattern), "\(layer)")
        }
    }

    @Test("a unit's one-prompt views (what per-prompt Monte Carlo samples) add up to the unit")
    func onePromptViewsAddUp() throws {
        var stream = RandomStream(seed: 63)
        let d = 4, m = 6, count = 5, length = 7
        let normals = stream.normals(m * count * length), factor = stream.normals(d * m), mu = stream.normals(d)
        for layer in try Self.variants(lam: 0.6) {
            let whole = Self.evaluate(layer, normals: normals, factor: factor, d: d, m: m, count: count, length: length, mu: mu)
            var loss = 0.0, gradient = [Double](repeating: 0, count: d), magnitude = [Double](repeating: 0, count: d)
            var scratch = [Double](repeating: 0, count: AttentionLayer.scratchCount(length: length, dimension: m))
            normals.withUnsafeBufferPointer { g in
                factor.withUnsafeBufferPointer { f in
                    let unit = FactoredPrompts(normals: g.baseAddress!, factor: f.baseAddress!, dimension: d, latentDimension: m,
                                               count: count, length: length)
                    for p in 0..<count {
                        var one = [Double](repeating: 0, count: d)
                        loss += layer.lossAndGradient(unit.prompt(p), mu: mu, gradient: &one, scratch: &scratch)
                        for i in 0..<d { gradient[i] += one[i]; magnitude[i] += abs(one[i]) }
                    }
                }
            }
            // The losses are summed in the same order as the unit sums them: bit-identical. The
            // unit maps its summed latent gradient through F once, the views each theirs: equal
            // up to a few roundings of each term's size.
            #expect(loss.bitPattern == whole.loss.bitPattern, "\(layer)")
            for i in 0..<d { #expect(abs(gradient[i] - whole.gradient[i]) <= 64 * Double.ulpOfOne * magnitude[i] * Double(m), "\(layer)") }
        }
    }

    /// Rounding bound for comparing the factored path with the token path. Both evaluate the
    /// same function; each output is built from inner products of at most n = L (d + m) + 4 d m
    /// terms, each with relative error gamma_n ~ n eps against the sum of absolute terms
    /// (Higham, Thm 3.1), and the softmax weights carry the error of their arguments
    /// lam |alpha| |beta_k| amplified by at most (1 + 2 lam |alpha| max |beta|). With L <= 100,
    /// d, m <= 10 and the instances below (|lam alpha beta| < 10) that is below 2000 n eps
    /// ~ 5e-10 of the absolute scale, which for these Gaussian prompts is within a factor 10 of
    /// loss + ||grad||: the tolerance 1e-8 (loss + ||grad||). A wrong fold (the metric left out,
    /// F instead of F^T) is an O(1) relative error.
    static func foldTolerance(_ a: (loss: Double, gradient: [Double])) -> Double { 1e-8 * (a.loss + a.gradient.norm) }

    @Test("the layer on a source's factored units equals the layer on the tokens it forms (Gaussian, Wishart n >= d, Wishart n < d)")
    func factoredSourcesMatchTokens() throws {
        var stream = RandomStream(seed: 63)
        let d = 5, length = 100
        let s = Fixture.paperCovariance(dimension: d, stream: &stream)
        let v = stream.unitVector(dimension: d)
        let scale = try InContextRisk(spike: v, xi: 1, theta: 2, degreesOfFreedom: 10, lam: 1e-3).scale
        let sources: [(String, any PromptSource)] = [
            ("Gaussian", GaussianPromptSource(covariance: s, promptsPerUnit: 6)),
            ("Wishart n = 10", WishartPromptSource(scale: scale, degreesOfFreedom: 10, promptsPerCovariance: 6)),
            ("Wishart n = 3 (singular S)", WishartPromptSource(scale: scale, degreesOfFreedom: 3, promptsPerCovariance: 6)),
        ]
        for (name, source) in sources {
            for layer in try Self.variants(lam: 0.1) {
                let mu = stream.normals(d)
                let unitSeed = stream.next()
                var scratch = [Double](repeating: 0, count: source.scratchCount(length: length))
                var layerScratch = [Double](repeating: 0, count: AttentionLayer.scratchCount(length: length, dimension: d))
                var prompts = [Double](repeating: 0, count: source.promptsPerUnit * length * d)
                var fillStream = RandomStream(seed: unitSeed)
                scratch.withUnsafeMutableBufferPointer { sc in prompts.withUnsafeMutableBufferPointer { p in
                    source.fillUnit(p, length: length, stream: &fillStream, scratch: sc)
                } }
                let direct = Self.evaluate(layer, tokens: prompts, d: d, count: source.promptsPerUnit, length: length, mu: mu)
                var drawStream = RandomStream(seed: unitSeed)
                var gradient = [Double](repeating: 0, count: d)
                var latent = 0
                let loss = scratch.withUnsafeMutableBufferPointer { sc in
                    let unit = source.drawUnit(length: length, stream: &drawStream, scratch: sc)
                    latent = unit.latentDimension
                    return layer.lossAndGradient(unit, mu: mu, gradient: &gradient, scratch: &layerScratch)
                }
                #expect(name.contains("n = 3") ? latent == 3 : latent == d, "\(name): a unit's latent dimension")
                let tolerance = Self.foldTolerance(direct)
                #expect(abs(loss - direct.loss) <= tolerance, "\(name) \(layer): loss \(loss) vs \(direct.loss)")
                #expect(gradient.subtracting(direct.gradient).norm <= tolerance, "\(name) \(layer): gradient off by \(gradient.subtracting(direct.gradient).norm)")
                #expect(drawStream.next() == fillStream.next(), "\(name): drawUnit and fillUnit consume the same randomness")
            }
        }
    }

    @Test("output(prompt:) is the softmax- or linear-weighted sum of the tokens")
    func outputMatchesDefinition() throws {
        var stream = RandomStream(seed: 64)
        let d = 3, length = 20
        let prompt = stream.normals(d * length)  // row-major, token by token
        let mu = stream.normals(d)
        let token = { (k: Int) in Array(prompt[(k * d)..<((k + 1) * d)]) }
        let alpha = token(0).dot(mu)
        for layer in try Self.variants(lam: 0.5) {
            let keys = Array((layer.keysIncludeQuery ? 0 : 1)..<length)
            var expected = [Double](repeating: 0, count: d)
            switch layer.kind {
            case .softmax:
                let scores = keys.map { layer.lam * alpha * token($0).dot(mu) }
                let largest = scores.max()!
                let weights = scores.map { exp($0 - largest) }
                let total = weights.reduce(0, +)
                for (w, k) in zip(weights, keys) { expected = expected.adding(token(k).scaled(by: w / total)) }
            case .linear:
                let c = layer.linearAggregation == .sum ? layer.lam : layer.lam / Double(keys.count)
                for k in keys { expected = expected.adding(token(k).scaled(by: c * alpha * token(k).dot(mu))) }
            }
            let output = layer.output(prompt: prompt, dimension: d, mu: mu)
            // Sums of L = 20 terms computed in two orders, weights from exps within 2 ulp and
            // arguments |lam alpha beta| < 20 with their own rounding: well below 1e-12 relative
            // to sum_k |weight_k| |x_k| <= max |x_k| (1 for softmax; for linear the scale c |alpha| sum |beta_k|).
            let scale = expected.norm + prompt.map(abs).max()! * (layer.kind == .linear ? layer.lam * abs(alpha) * Double(length) * mu.norm * 3 : 1)
            #expect(output.subtracting(expected).norm <= 1e-12 * scale, "\(layer)")
        }
    }
}
