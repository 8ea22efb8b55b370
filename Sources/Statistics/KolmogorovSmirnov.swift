import Foundation

/// The one-sample Kolmogorov–Smirnov test and the Dvoretzky–Kiefer–Wolfowitz–Massart bound.
public enum KolmogorovSmirnov {
    /// The statistic D_n = sup_x |F_n(x) − F(x)| of `sample` against the continuous `cdf`.
    public static func statistic(_ sample: [Double], cdf: (Double) -> Double) throws -> Double {
        try StatisticsError.require(!sample.isEmpty, "sample.count", 0, "> 0")
        try StatisticsError.require(!sample.contains { $0.isNaN }, "sample", .nan, "free of NaN")
        let sorted = sample.sorted()
        let n = Double(sorted.count)
        var d = 0.0
        for (i, x) in sorted.enumerated() {
            let f = cdf(x)
            d = max(d, Double(i + 1) / n - f, f - Double(i) / n)
        }
        return d
    }

    /// The asymptotic p-value P(K > √n·D) from the Kolmogorov distribution (large-n limit).
    public static func asymptoticPValue(statistic: Double, sampleSize: Int) throws -> Double {
        try StatisticsError.require(sampleSize > 0, "sampleSize", Double(sampleSize), "> 0")
        try StatisticsError.require(statistic >= 0 && statistic <= 1, "statistic", statistic, "in [0, 1]")
        return kolmogorovSurvival(Double(sampleSize).squareRoot() * statistic)
    }

    /// P(K > λ) for the Kolmogorov distribution K = sup |Brownian bridge|.
    ///
    /// For λ ≥ 1: 2 Σ_{k≥1} (−1)^{k−1} exp(−2k²λ²). For λ < 1, the Jacobi-transformed series
    /// 1 − (√(2π)/λ) Σ_{k≥1} exp(−(2k−1)²π²/(8λ²)), which converges fast there.
    public static func kolmogorovSurvival(_ lambda: Double) -> Double {
        if lambda <= 0 { return 1 }
        if lambda < 1 {
            let w = -Double.pi * Double.pi / (8 * lambda * lambda)
            var sum = 0.0
            for k in 1...50 {
                let j = Double(2 * k - 1)
                let term = exp(j * j * w)
                sum += term
                if term < 1e-18 * sum { break }
            }
            return 1 - (2 * Double.pi).squareRoot() / lambda * sum
        }
        var sum = 0.0
        for k in 1...100 {
            let kk = Double(k)
            let term = exp(-2 * kk * kk * lambda * lambda)
            sum += k % 2 == 1 ? term : -term
            if term < 1e-18 * abs(sum) { break }
        }
        return min(1, max(0, 2 * sum))
    }

    /// The DKW(M) radius ε = √(ln(2/α) / (2n)): P(sup |F_n − F| > ε) ≤ α for every n and F.
    public static func dkwRadius(sampleSize: Int, alpha: Double) throws -> Double {
        try StatisticsError.require(sampleSize > 0, "sampleSize", Double(sampleSize), "> 0")
        try StatisticsError.require(alpha > 0 && alpha < 1, "alpha", alpha, "in (0, 1)")
        return (log(2 / alpha) / (2 * Double(sampleSize))).squareRoot()
    }
}
