import Foundation

/// The range, tick positions and labels of one axis: "nice" steps (1, 2, 2.5, 5 × 10^k) on a
/// linear axis, decades (with 2 and 5 when there are few) on a logarithmic one. The range ends
/// at a tick only when that tick is close to the data (within `snap` of the data's span), else
/// at the data (with `padding`); it never leaves `bounds`. Every label of an axis uses one
/// notation, formatted the same on every machine.
struct AxisTicks {
    /// The axis range (data units; not logs).
    let lower: Double
    let upper: Double
    /// Tick values (data units), all within [lower, upper].
    let values: [Double]
    let logarithmic: Bool
    /// The labels of `values`, in one notation.
    let labels: [String]

    /// How far past the data a tick may lie and still end the axis, as a fraction of the data's span.
    static let snap = 0.1

    /// An axis for data in [minimum, maximum], widened by `padding` x the span on each side (linear
    /// axes only), kept within `bounds`.
    init(minimum: Double, maximum: Double, logarithmic: Bool, bounds: (lower: Double?, upper: Double?) = (nil, nil),
         padding: Double = 0, target: Int = 6) {
        self.logarithmic = logarithmic
        var lo = minimum, hi = maximum
        if !lo.isFinite || !hi.isFinite || lo > hi { lo = logarithmic ? 1 : 0; hi = logarithmic ? 10 : 1 }
        if logarithmic {
            lo = max(lo, 1e-300)
            hi = max(hi, lo)
            var a = log10(lo), b = log10(hi)
            if b - a < 1e-9 { a -= 1; b += 1 }
            let span = b - a
            // End at a whole decade when it is close to the data, else at the data.
            let decadeBelow = floor(a + 1e-9), decadeAbove = ceil(b - 1e-9)
            let first = a - decadeBelow <= Self.snap * span ? decadeBelow : a
            let last = decadeAbove - b <= Self.snap * span ? decadeAbove : b
            let decades = ceil(last - 1e-9) - floor(first + 1e-9)
            let step = max(1, Int(ceil(decades / Double(target))))
            var ticks: [Double] = []
            var e = Int(floor(first + 1e-9))
            while Double(e) <= last + 1e-9 {
                for m in (decades <= 2 ? [1.0, 2.0, 5.0] : [1.0]) {
                    let value = m * pow(10, Double(e))
                    let position = log10(value)
                    if position >= first - 1e-9 && position <= last + 1e-9 { ticks.append(value) }
                }
                e += step
            }
            lower = pow(10, first)
            upper = pow(10, last)
            values = ticks
        } else {
            if hi - lo < 1e-12 * max(1, abs(hi)) {
                let pad = lo == 0 ? 1 : abs(lo) * 0.1
                lo -= pad; hi += pad
            }
            let span = hi - lo
            var padLo = lo - padding * span, padHi = hi + padding * span
            if let b = bounds.lower { padLo = max(padLo, b); lo = max(lo, b) }
            if let b = bounds.upper { padHi = min(padHi, b); hi = min(hi, b) }
            let rough = (padHi - padLo) / Double(target)
            let magnitude = pow(10, floor(log10(rough)))
            let step = [1.0, 2.0, 2.5, 5.0, 10.0].map { $0 * magnitude }.first { $0 >= rough * (1 - 1e-9) } ?? 10 * magnitude
            // The ticks next to the data (a value within 1e-9 steps of a tick counts as on it).
            let tickBelow = floor(lo / step + 1e-9) * step, tickAbove = ceil(hi / step - 1e-9) * step
            let belowAllowed = bounds.lower.map { tickBelow >= $0 - 1e-9 * step } ?? true
            let aboveAllowed = bounds.upper.map { tickAbove <= $0 + 1e-9 * step } ?? true
            let first = (lo - tickBelow <= Self.snap * span && belowAllowed) ? tickBelow : padLo
            let last = (tickAbove - hi <= Self.snap * span && aboveAllowed) ? tickAbove : padHi
            lower = first
            upper = last
            let k0 = Int(ceil(first / step - 1e-9)), k1 = Int(floor(last / step + 1e-9))
            values = k0 <= k1 ? (k0...k1).map { abs(Double($0) * step) < step * 1e-9 ? 0 : Double($0) * step } : []
        }
        labels = Self.labels(values, logarithmic: logarithmic)
    }

    /// Labels in one notation for the whole axis: plain decimals with a common number of decimals
    /// on a linear axis (thousands separated by commas when a tick reaches 10,000), plain numbers
    /// on a logarithmic axis within 1e-4...1e5, and scientific notation (2e-7, 1.5e9) for every
    /// tick otherwise.
    static func labels(_ values: [Double], logarithmic: Bool) -> [String] {
        let nonzero = values.filter { $0 != 0 }.map(abs)
        guard let largest = nonzero.max(), let smallest = nonzero.min() else { return values.map { _ in "0" } }
        if logarithmic {
            guard smallest >= 1e-4 && largest < 1e5 else { return values.map(scientific) }
            return values.map { plain($0, decimals: decimals($0), separated: largest >= 10_000) }
        }
        let digits = values.map(decimals).max() ?? 0
        guard largest < 1e9 && digits <= 6 else { return values.map(scientific) }
        return values.map { plain($0, decimals: digits, separated: largest >= 10_000) }
    }

    /// The fewest decimals (at most 7) that write `value` to within 1e-9 of its size.
    static func decimals(_ value: Double) -> Int {
        for digits in 0...6 {
            if let parsed = Double(String(format: "%.\(digits)f", value)), abs(parsed - value) <= 1e-9 * max(1, abs(value)) { return digits }
        }
        return 7
    }

    /// `value` with `decimals` decimals, and commas between thousands if `separated`.
    static func plain(_ value: Double, decimals: Int, separated: Bool = false) -> String {
        let text = String(format: "%.\(decimals)f", value == 0 ? 0 : value)
        guard separated else { return text }
        let negative = text.hasPrefix("-")
        let body = negative ? String(text.dropFirst()) : text
        let parts = body.split(separator: ".", maxSplits: 1)
        var whole = Array(parts[0])
        var grouped = ""
        while whole.count > 3 {
            grouped = "," + String(whole.suffix(3)) + grouped
            whole.removeLast(3)
        }
        grouped = String(whole) + grouped
        return (negative ? "-" : "") + grouped + (parts.count > 1 ? "." + parts[1] : "")
    }

    /// `value` as mantissa e exponent with as few mantissa digits as it needs: "1e-6", "2.5e7".
    static func scientific(_ value: Double) -> String {
        if value == 0 { return "0" }
        let exponent = Int(floor(log10(abs(value)) + 1e-12))
        let mantissa = value / pow(10, Double(exponent))
        let m = plain(mantissa, decimals: min(decimals(mantissa), 3))
        return m == "1" ? "1e\(exponent)" : m == "-1" ? "-1e\(exponent)" : "\(m)e\(exponent)"
    }
}
