import Foundation

/// A value in a claim file: a number, a text, or a list of values. Typed accessors throw a
/// `CatalogueError` naming the field when the value has the wrong shape.
public enum CatalogueValue: Sendable, Equatable, Codable, CustomStringConvertible {
    /// A number (YAML int or float).
    case number(Double)
    /// A text.
    case text(String)
    /// A list, e.g. a range [low, high] or a set of names.
    case list([CatalogueValue])

    public var description: String {
        switch self {
        case let .number(x): x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
        case let .text(s): s
        case let .list(values): "[" + values.map(\.description).joined(separator: ", ") + "]"
        }
    }
}

/// A named group of values from a claim file (`instances:` or `protocol:`), with typed
/// accessors that report the file and field on error.
public struct CatalogueSection: Sendable, Equatable, Codable {
    /// The file the section came from (for error messages).
    public let file: String
    /// The section's name in the file.
    public let name: String
    /// The entries, in file order.
    public let entries: [(key: String, value: CatalogueValue)]

    /// A section named `name` of `file` with these entries.
    public init(file: String, name: String, entries: [(key: String, value: CatalogueValue)]) {
        self.file = file
        self.name = name
        self.entries = entries
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.file == b.file && a.name == b.name && a.entries.map(\.key) == b.entries.map(\.key) && a.entries.map(\.value) == b.entries.map(\.value)
    }

    private enum CodingKeys: String, CodingKey { case file, name, keys, values }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        file = try c.decode(String.self, forKey: .file)
        name = try c.decode(String.self, forKey: .name)
        let keys = try c.decode([String].self, forKey: .keys)
        let values = try c.decode([CatalogueValue].self, forKey: .values)
        entries = Array(zip(keys, values)).map { (key: $0.0, value: $0.1) }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(file, forKey: .file)
        try c.encode(name, forKey: .name)
        try c.encode(entries.map(\.key), forKey: .keys)
        try c.encode(entries.map(\.value), forKey: .values)
    }

    private func error(_ key: String, _ problem: String) -> CatalogueError {
        CatalogueError(file: file, field: "\(name).\(key)", problem: problem)
    }

    /// The raw value for `key`, or an error saying it is missing.
    public func value(_ key: String) throws(CatalogueError) -> CatalogueValue {
        guard let entry = entries.first(where: { $0.key == key }) else { throw error(key, "is missing") }
        return entry.value
    }

    /// True when the section has `key`.
    public func has(_ key: String) -> Bool { entries.contains { $0.key == key } }

    /// The section with `key` set to `value` (replaced in place, or appended).
    public func setting(_ key: String, to value: CatalogueValue) -> CatalogueSection {
        var changed = entries
        if let index = changed.firstIndex(where: { $0.key == key }) { changed[index].value = value } else { changed.append((key, value)) }
        return CatalogueSection(file: file, name: name, entries: changed)
    }

    /// A finite number.
    public func number(_ key: String) throws(CatalogueError) -> Double {
        guard case let .number(x) = try value(key), x.isFinite else { throw error(key, "must be a finite number") }
        return x
    }

    /// A positive finite number.
    public func positive(_ key: String) throws(CatalogueError) -> Double {
        let x = try number(key)
        guard x > 0 else { throw error(key, "must be > 0, got \(x)") }
        return x
    }

    /// A whole number >= `minimum`.
    public func integer(_ key: String, atLeast minimum: Int = 0) throws(CatalogueError) -> Int {
        let x = try number(key)
        guard x == x.rounded(), abs(x) < 1e15, Int(x) >= minimum else { throw error(key, "must be a whole number >= \(minimum), got \(x)") }
        return Int(x)
    }

    /// A range [low, high] of numbers with low <= high (and low > 0 if `positive`).
    public func range(_ key: String, positive: Bool = false) throws(CatalogueError) -> ClosedRange<Double> {
        guard case let .list(items) = try value(key), items.count == 2,
              case let .number(low) = items[0], case let .number(high) = items[1], low.isFinite, high.isFinite
        else { throw error(key, "must be a range [low, high] of two finite numbers") }
        guard low <= high else { throw error(key, "must have low <= high, got [\(low), \(high)]") }
        if positive, low <= 0 { throw error(key, "must be a range of positive numbers, got low = \(low)") }
        return low...high
    }

    /// A range [low, high] of whole numbers >= `minimum`.
    public func integerRange(_ key: String, atLeast minimum: Int = 0) throws(CatalogueError) -> ClosedRange<Int> {
        let r = try range(key)
        guard r.lowerBound == r.lowerBound.rounded(), r.upperBound == r.upperBound.rounded(), r.lowerBound >= Double(minimum), r.upperBound < 1e9
        else { throw error(key, "must be a range of whole numbers >= \(minimum)") }
        return Int(r.lowerBound)...Int(r.upperBound)
    }

    /// Dense d x d matrices of 8-byte doubles one trial holds at once, at most: the covariance, its
    /// Haar basis and the QR workspace that makes it, eigenvectors, a Cholesky factor, a Hessian,
    /// and LAPACK's eigen workspace (about two more).
    public static let matricesPerTrial = 8.0

    /// The range of dimensions `key`, refused up front when its largest d would need more memory
    /// than the machine has (`matricesPerTrial` d x d doubles per trial), instead of aborting mid-run.
    public func dimensionRange(_ key: String = "dimension", atLeast minimum: Int,
                               memory: UInt64 = ProcessInfo.processInfo.physicalMemory) throws(CatalogueError) -> ClosedRange<Int> {
        let range = try integerRange(key, atLeast: minimum)
        let d = Double(range.upperBound)
        let bytes = Self.matricesPerTrial * d * d * 8
        if bytes > Double(memory) {
            func gib(_ b: Double) -> String { String(format: b >= 10 * 1_073_741_824 ? "%.0f GiB" : "%.1f GiB", b / 1_073_741_824) }
            throw error(key, "d up to \(range.upperBound) needs about \(gib(bytes)) per trial (\(Int(Self.matricesPerTrial)) dense d x d matrices of "
                + "8-byte doubles), more than this machine's \(gib(Double(memory))); lower the upper bound")
        }
        return range
    }

    /// A list of numbers.
    public func numbers(_ key: String) throws(CatalogueError) -> [Double] {
        guard case let .list(items) = try value(key), !items.isEmpty else { throw error(key, "must be a non-empty list of numbers") }
        var result = [Double]()
        for item in items {
            guard case let .number(x) = item, x.isFinite else { throw error(key, "must be a list of finite numbers, found '\(item)'") }
            result.append(x)
        }
        return result
    }

    /// A text.
    public func text(_ key: String) throws(CatalogueError) -> String {
        guard case let .text(s) = try value(key) else { throw error(key, "must be a text") }
        return s
    }

    /// A non-empty list of texts, each one of `allowed` if given.
    public func texts(_ key: String, allowed: [String]? = nil) throws(CatalogueError) -> [String] {
        guard case let .list(items) = try value(key), !items.isEmpty else { throw error(key, "must be a non-empty list of names") }
        var result = [String]()
        for item in items {
            guard case let .text(s) = item else { throw error(key, "must be a list of names, found '\(item)'") }
            if let allowed, !allowed.contains(s) {
                throw error(key, "unknown name '\(s)'; allowed: \(allowed.joined(separator: ", "))")
            }
            result.append(s)
        }
        return result
    }
}
