import Foundation
import PropertyEngine

/// Fixed formatting of numbers, durations and verdicts in reports, identical on every machine.
public enum ReportFormat {
    /// Four significant digits, plain or scientific ("0.9812", "1.2e-05"); 1e4 to 1e9 as whole numbers ("24815").
    public static func number(_ x: Double?) -> String {
        guard let x else { return "–" }
        if x.isNaN { return "NaN" }
        if x.isInfinite { return x > 0 ? "∞" : "−∞" }
        if x == 0 { return "0" }
        let a = abs(x)
        if a >= 1e-3 && a < 1e4 {
            var s = String(format: "%.4g", x)
            if s.contains("e") { s = String(format: "%.4f", x) }
            return s
        }
        // Counts and step numbers read as whole numbers ("24815", not "2.482e+04").
        if a >= 1e4 && a < 1e9 { return String(format: "%.0f", x) }
        return String(format: "%.3g", x)
    }

    /// "850 ms", "12.3 s", "4 min 05 s", "1 h 02 min".
    public static func duration(_ seconds: Double?) -> String {
        guard let s = seconds, s.isFinite else { return "–" }
        if s < 1 { return "\(Int((s * 1000).rounded())) ms" }
        if s < 60 { return String(format: "%.1f s", s) }
        let total = Int(s.rounded())
        if total < 3600 { return String(format: "%d min %02d s", total / 60, total % 60) }
        return String(format: "%d h %02d min", total / 3600, (total % 3600) / 60)
    }

    /// pass / fail / inconclusive / error / interrupted, for a claim's decision.
    public static func verdict(_ result: PropertyResult) -> String {
        if result.interrupted == true { return "interrupted" }
        switch result.decision {
        case .holds: return "pass"
        case .fails: return "fail"
        case .inconclusive: return "inconclusive"
        case .error: return "error"
        }
    }

    /// The same verdict with a marker that reads at a glance.
    public static func verdictBadge(_ result: PropertyResult) -> String {
        let v = verdict(result)
        switch v {
        case "pass": return "✅ pass"
        case "fail": return "❌ fail"
        case "error": return "⛔ error"
        default: return "⚠️ \(v)"
        }
    }

    /// Escapes text for a Markdown table cell.
    public static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
