import Instances

/// The tokens of one prompt of a factored unit, formed in plain Swift: what the wrong layers
/// of the negative controls compute on, independently of the production C kernel.
enum FormedTokens {
    /// Writes token k of prompt `p`, x_k = F g_k, row-major (token by token) into `tokens`
    /// (length x dimension doubles), and beta_k = <mu, x_k> into `projections` (length doubles).
    static func form(_ unit: FactoredPrompts, prompt p: Int, mu: UnsafePointer<Double>,
                     tokens x: UnsafeMutablePointer<Double>, projections beta: UnsafeMutablePointer<Double>) {
        let d = unit.dimension, m = unit.latentDimension, l = unit.length, stride = unit.coordinateStride
        for k in 0..<l {
            for i in 0..<d {
                var entry = 0.0
                for a in 0..<m { entry += unit.factor[i * m + a] * unit.normals[a * stride + p * l + k] }
                x[k * d + i] = entry
            }
            var product = 0.0
            for i in 0..<d { product += mu[i] * x[k * d + i] }
            beta[k] = product
        }
    }
}
