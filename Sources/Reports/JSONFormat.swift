import Foundation

/// The JSON conventions of every file the harness writes: pretty-printed, keys sorted (so the
/// same content gives the same bytes), non-finite numbers as the strings "nan", "inf", "-inf".
public enum JSONFormat {
    /// An encoder with the harness's conventions.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    /// A decoder matching `encoder()`.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }

    /// Encodes `value`, ending with a newline.
    public static func data<T: Encodable>(_ value: T) throws -> Data {
        var data = try encoder().encode(value)
        data.append(0x0A)
        return data
    }

    /// Decodes a `T` from the file at `url`, turning every failure into a `ReportsError` that
    /// names the file and, for malformed JSON, the place and problem.
    public static func read<T: Decodable>(_ type: T.Type, from url: URL, what: String) throws(ReportsError) -> T {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw .unreadableFile(path: url.path, problem: "no such file or not readable (\(error.localizedDescription))")
        }
        do {
            return try decoder().decode(type, from: data)
        } catch let DecodingError.dataCorrupted(context) {
            throw .unreadableFile(path: url.path, problem: "not valid JSON for \(what): \(describe(context))")
        } catch let DecodingError.keyNotFound(key, context) {
            throw .unreadableFile(path: url.path, problem: "not \(what): field '\(path(context.codingPath + [key]))' is missing")
        } catch let DecodingError.typeMismatch(_, context) {
            throw .unreadableFile(path: url.path, problem: "not \(what): field '\(path(context.codingPath))' has the wrong type")
        } catch let DecodingError.valueNotFound(_, context) {
            throw .unreadableFile(path: url.path, problem: "not \(what): field '\(path(context.codingPath))' is null")
        } catch {
            throw .unreadableFile(path: url.path, problem: "not \(what): \(error)")
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }

    private static func describe(_ context: DecodingError.Context) -> String {
        let at = path(context.codingPath)
        let underlying = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
        return (at.isEmpty ? "" : "at '\(at)': ") + (underlying ?? context.debugDescription)
    }
}
