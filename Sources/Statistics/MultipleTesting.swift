/// Family-wise error control for a run of many hypotheses.
public enum MultipleTesting {
    /// Holm–Bonferroni: which of `pValues` are rejected at family-wise error rate `alpha`.
    ///
    /// Valid under any dependence; uniformly more powerful than plain Bonferroni.
    public static func holmRejections(pValues: [Double], alpha: Double) throws -> [Bool] {
        try StatisticsError.require(alpha > 0 && alpha < 1, "alpha", alpha, "in (0, 1)")
        for p in pValues { try StatisticsError.require(p >= 0 && p <= 1, "pValue", p, "in [0, 1]") }
        let order = pValues.indices.sorted { (pValues[$0], $0) < (pValues[$1], $1) }
        var rejected = [Bool](repeating: false, count: pValues.count)
        for (rank, index) in order.enumerated() {
            if pValues[index] > alpha / Double(pValues.count - rank) { break }
            rejected[index] = true
        }
        return rejected
    }

    /// The Bonferroni share of `alpha` for each of `count` hypotheses: alpha / count.
    public static func bonferroniShare(alpha: Double, count: Int) throws -> Double {
        try StatisticsError.require(alpha > 0 && alpha < 1, "alpha", alpha, "in (0, 1)")
        try StatisticsError.require(count > 0, "count", Double(count), "> 0")
        return alpha / Double(count)
    }
}
