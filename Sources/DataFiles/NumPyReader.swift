import Foundation
import LinearAlgebra

/// Reads a 2-D NumPy `.npy` array (format versions 1-3): float64, float32, float16, booleans or
/// (unsigned) integers of 1-8 bytes, little- or big-endian, C or Fortran order. The header is parsed here (a Python
/// dict literal with 'descr', 'fortran_order' and 'shape'), so no dependency is needed. Errors
/// name the file and, for bad values, the row and column (a binary file has no lines).
public enum NumPyReader {
    /// The first six bytes of every .npy file, "\x93NUMPY" (`DataFile` recognises arrays by them).
    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]

    /// Parses the bytes of a `.npy` file as if read from `source` (opened by `DataFile`).
    public static func parse(_ bytes: [UInt8], source: String, minimumRows: Int = 2) throws(DataFileError) -> DataMatrix {
        func fail(_ problem: String) -> DataFileError { DataFileError(file: source, problem: problem) }
        guard bytes.count >= 10, bytes.starts(with: magic) else { throw fail("is not a NumPy .npy file (no \\x93NUMPY magic)") }
        let major = bytes[6]
        let headerLength: Int, headerStart: Int
        switch major {
        case 1:
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw fail("is truncated in its header") }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            headerStart = 12
        default:
            throw fail("has .npy format version \(major), only 1-3 are known")
        }
        guard bytes.count >= headerStart + headerLength,
              let header = String(bytes: bytes[headerStart..<(headerStart + headerLength)], encoding: major == 3 ? .utf8 : .isoLatin1)
        else { throw fail("is truncated in its header") }
        let descr = try value(of: "descr", in: header, source: source)
        let fortran = try value(of: "fortran_order", in: header, source: source)
        let shapeText = try value(of: "shape", in: header, source: source)
        let type = descr.trimmingCharacters(in: CharacterSet(charactersIn: "'\" "))
        guard let kind = ElementKind(descr: type) else {
            throw fail("has element type '\(type)'; supported: real floats and integers of either byte order "
                       + "(f8, f4, f2, i8, i4, i2, i1, u8, u4, u2, u1, b1 with <, > or |); convert with numpy's astype(float)")
        }
        let dims = shapeText.trimmingCharacters(in: CharacterSet(charactersIn: "() "))
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard dims.count == 2, let n = Int(dims[0]), let d = Int(dims[1]) else {
            throw fail("has shape \(shapeText); a data matrix must be 2-D (samples x coordinates)")
        }
        guard d >= 1 else { throw fail("has shape \(shapeText): no columns") }
        guard n >= minimumRows else {
            throw fail("has \(n) row\(n == 1 ? "" : "s"); at least \(minimumRows) are needed")
        }
        let start = headerStart + headerLength
        let expected = n * d * kind.size
        guard bytes.count - start == expected else {
            throw fail("holds \(bytes.count - start) data bytes, but shape \(shapeText) of \(type) needs \(expected)")
        }
        var values = [Double](repeating: 0, count: n * d)
        let isFortran = fortran.trimmingCharacters(in: .whitespaces) == "True"
        for index in 0..<(n * d) {
            let x = kind.read(bytes, at: start + index * kind.size)
            let (i, j) = isFortran ? (index % n, index / n) : (index / d, index % d)
            guard x.isFinite else {
                throw fail("row \(i + 1), column \(j + 1) is \(x): missing or infinite values are not allowed (remove or impute the row)")
            }
            values[i * d + j] = x
        }
        return DataMatrix(source: source, columnNames: nil, values: Matrix(rows: n, columns: d, elements: values), rowLines: nil)
    }

    /// The text of `key`'s value in the header dict (up to the next top-level comma or brace).
    static func value(of key: String, in header: String, source: String) throws(DataFileError) -> String {
        guard let range = header.range(of: "'\(key)'") ?? header.range(of: "\"\(key)\"") else {
            throw DataFileError(file: source, problem: "has no '\(key)' in its header")
        }
        var rest = header[range.upperBound...].drop { $0 == " " }
        guard rest.first == ":" else { throw DataFileError(file: source, problem: "has a malformed header near '\(key)'") }
        rest = rest.dropFirst().drop { $0 == " " }
        var depth = 0
        var result = ""
        for c in rest {
            if c == "(" { depth += 1 }
            if c == ")" { depth -= 1 }
            if depth == 0 && (c == "," || c == "}") { break }
            result.append(c)
        }
        return result.trimmingCharacters(in: .whitespaces)
    }

    /// The element types read, with their byte order.
    struct ElementKind {
        enum Value { case float64, float32, float16, signed, unsigned }
        let value: Value
        /// Bytes per element.
        let size: Int
        /// '>' in the descriptor: most significant byte first.
        let bigEndian: Bool

        init?(descr: String) {
            guard let order = descr.first, "<|=>".contains(order) else { return nil }
            bigEndian = order == ">"
            switch descr.dropFirst() {
            case "f8": (value, size) = (.float64, 8)
            case "f4": (value, size) = (.float32, 4)
            case "f2": (value, size) = (.float16, 2)
            case "i8": (value, size) = (.signed, 8)
            case "i4": (value, size) = (.signed, 4)
            case "i2": (value, size) = (.signed, 2)
            case "i1": (value, size) = (.signed, 1)
            case "u8": (value, size) = (.unsigned, 8)
            case "u4": (value, size) = (.unsigned, 4)
            case "u2": (value, size) = (.unsigned, 2)
            case "u1", "b1": (value, size) = (.unsigned, 1)
            default: return nil
            }
        }

        /// The element at `offset`, exactly (every type read converts to Double without
        /// rounding, except 64-bit integers beyond 2^53).
        func read(_ bytes: [UInt8], at offset: Int) -> Double {
            var word: UInt64 = 0
            for k in 0..<size {
                let byte = UInt64(bytes[offset + (bigEndian ? size - 1 - k : k)])
                word |= byte << (8 * UInt64(k))
            }
            switch value {
            case .float64: return Double(bitPattern: word)
            case .float32: return Double(Float(bitPattern: UInt32(truncatingIfNeeded: word)))
            case .float16: return Double(Float16(bitPattern: UInt16(truncatingIfNeeded: word)))
            case .signed:
                let shift = UInt64(64 - 8 * size)
                return Double(Int64(bitPattern: word << shift) >> Int64(shift))
            case .unsigned: return Double(word)
            }
        }
    }
}
