import LinearAlgebra

extension Array where Element == Double {
    /// |cos(self, target)| (`alignment(with:)`), or under `alignment-without-absolute-value`
    /// the signed cosine, which counts a vector at -target as misaligned.
    func alignment(with target: [Double], under sabotage: Sabotage?) -> Double {
        guard sabotage == .alignmentWithoutAbsoluteValue else { return alignment(with: target) }
        let n = norm * target.norm
        return n > 0 ? dot(target) / n : 0
    }
}
