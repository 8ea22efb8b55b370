import Foundation

/// Tick positions and labels for one axis: "nice" steps (1, 2, 5 × 10^k) on a linear axis,
/// decades (with 2 and 5 when there are few) on a logarithmic one. Labels use as few digits
/// as distinguish the ticks, formatted the same on every machine.
struct AxisTicks {
    /// The axis range after widening to whole ticks (data units; not logs).
    let lower: Double
    let upper: Double
    /// Tick values (data units).
    let values: [Double]
    let logarithmic: Bool

    init(minimum: Double, maximum: Double, logarithmic: Bool, target: Int = 6) {
        self.logarithmic = logarithmic
        var lo = minimum, hi = maximum
        if !lo.isFinite || !hi.isFinite { lo = logarithmic ? 1 : 0; hi = logarithmic ? 10 : 1 }
        if logarithmic {
            lo = max(lo, 1e-300)
            hi = max(hi, lo)
            var a = floor(log10(lo)), b = ceil(log10(hi))
            if a == b { a -= 1; b += 1 }
            let decades = b - a
            var ticks: [Double] = []
            let step = max(1, Int(ceil(decades / Double(target))))
            var e = a
            while e <= b {
                ticks.append(pow(10, e))
                if decades <= 2 {
                    for m in [2.0, 5.0] where e < b { ticks.append(m * pow(10, e)) }
                }
                e += Double(step)
            }
            // Tight range with the data inside, but keep decade ticks that fall inside it.
            lower = pow(10, a)
            upper = pow(10, b)
            values = ticks.sorted()
        } else {
            if hi - lo < 1e-12 * max(1, abs(hi)) {
                let pad = lo == 0 ? 1 : abs(lo) * 0.1
                lo -= pad; hi += pad
            }
            let rough = (hi - lo) / Double(target)
            let magnitude = pow(10, floor(log10(rough)))
            let step = [1.0, 2.0, 2.5, 5.0, 10.0].map { $0 * magnitude }.first { $0 >= rough } ?? 10 * magnitude
            let first = floor(lo / step) * step
            let last = ceil(hi / step) * step
            lower = first
            upper = last
            let count = Int(((last - first) / step).rounded())
            values = (0...max(count, 1)).map { first + Double($0) * step }.map { abs($0) < step * 1e-9 ? 0 : $0 }
        }
    }

    /// A label for `value`: plain decimals for moderate values, scientific otherwise.
    func label(_ value: Double) -> String {
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if magnitude >= 1e5 || magnitude < 1e-3 {
            let exponent = Int(floor(log10(magnitude)))
            let mantissa = value / pow(10, Double(exponent))
            let m = abs(mantissa - mantissa.rounded()) < 1e-9 ? String(Int(mantissa.rounded())) : String(format: "%.1f", mantissa)
            return m == "1" ? "1e\(exponent)" : "\(m)e\(exponent)"
        }
        for digits in 0...6 {
            let text = String(format: "%.\(digits)f", value)
            if let parsed = Double(text), abs(parsed - value) <= 1e-9 * max(1, magnitude) { return text }
        }
        return String(format: "%.6g", value)
    }
}
