import DataFiles
import Foundation
import LinearAlgebra
import Testing

/// The CSV and .npy readers: good files read exactly; every malformed file is refused with a
/// `DataFileError` naming the file, the line (or row) and the problem.
struct DataFileReaderTests {
    static func temporaryFile(_ name: String, _ contents: Data) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("datastudy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name)
        try contents.write(to: url)
        return url.path
    }

    static func refusal(_ text: String, minimumRows: Int = 2) -> DataFileError? {
        do {
            _ = try CSVReader.parse(text, source: "x.csv", minimumRows: minimumRows)
            return nil
        } catch {
            return error
        }
    }

    @Test func csvWithHeaderAndBlankLines() throws {
        let m = try CSVReader.parse("a,b,c\n1,2,3\n\n# comment\n4,5.5,-6e-1\r\n", source: "x.csv")
        #expect(m.columnNames == ["a", "b", "c"])
        #expect(m.values == Matrix(rowList: [[1, 2, 3], [4, 5.5, -0.6]]))
        #expect(m.rowLines == [2, 5])
    }

    @Test func csvWithoutHeaderSemicolons() throws {
        let m = try CSVReader.parse("1;2\n3;4\n5;6\n", source: "x.csv")
        #expect(m.columnNames == nil)
        #expect(m.sampleCount == 3 && m.dimension == 2)
    }

    @Test func csvRaggedRowNamesLine() throws {
        let e = try #require(Self.refusal("a,b\n1,2\n3\n"))
        #expect(e.line == 3)
        #expect(e.description.hasPrefix("x.csv:3:"))
        #expect(e.problem.contains("ragged"))
    }

    @Test func csvNonNumberNamesLineAndField() throws {
        let e = try #require(Self.refusal("1,2\n3,abc\n"))
        #expect(e.line == 2)
        #expect(e.problem.contains("field 2") && e.problem.contains("'abc'"))
    }

    @Test func csvNaNAndInfinityRefused() throws {
        let e = try #require(Self.refusal("1,2\n3,NaN\n"))
        #expect(e.line == 2 && e.problem.contains("missing or infinite"))
        let f = try #require(Self.refusal("1,inf\n3,4\n"))
        #expect(f.line == 1)
    }

    @Test func csvSingleRowRefused() throws {
        let e = try #require(Self.refusal("x,y\n1,2\n"))
        #expect(e.problem.contains("1 data row") && e.problem.contains("at least 2"))
        #expect(Self.refusal("1,2\n", minimumRows: 1) == nil)
    }

    @Test func csvEmptyRefused() throws {
        let e = try #require(Self.refusal("\n\n"))
        #expect(e.problem.contains("no data"))
    }

    /// A minimal .npy writer for the tests (version 1, header padded to 64 bytes).
    static func npy(descr: String, shape: String, fortran: Bool = false, payload: [UInt8]) -> Data {
        var header = "{'descr': '\(descr)', 'fortran_order': \(fortran ? "True" : "False"), 'shape': \(shape), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var bytes: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0]
        let length = header.utf8.count
        bytes += [UInt8(length & 0xFF), UInt8(length >> 8)]
        bytes += Array(header.utf8) + payload
        return Data(bytes)
    }

    static func littleEndian(_ values: [Double]) -> [UInt8] {
        values.flatMap { v -> [UInt8] in let b = v.bitPattern; return (0..<8).map { UInt8((b >> (8 * UInt64($0))) & 0xFF) } }
    }

    @Test func npyFloat64CAndFortranOrder() throws {
        let c = try NumPyReader.parse([UInt8](Self.npy(descr: "<f8", shape: "(3, 2)", payload: Self.littleEndian([1, 2, 3, 4, 5, 6]))), source: "a.npy")
        #expect(c.values == Matrix(rowList: [[1, 2], [3, 4], [5, 6]]))
        let f = try NumPyReader.parse([UInt8](Self.npy(descr: "<f8", shape: "(3, 2)", fortran: true, payload: Self.littleEndian([1, 3, 5, 2, 4, 6]))), source: "a.npy")
        #expect(f.values == c.values)
    }

    @Test func npyFloat32AndIntegers() throws {
        let floats: [Float] = [1.5, -2, 3, 4]
        let f32 = floats.flatMap { v -> [UInt8] in let b = v.bitPattern; return (0..<4).map { UInt8((b >> (8 * UInt32($0))) & 0xFF) } }
        let a = try NumPyReader.parse([UInt8](Self.npy(descr: "<f4", shape: "(2, 2)", payload: f32)), source: "a.npy")
        #expect(a.values == Matrix(rowList: [[1.5, -2], [3, 4]]))
        let ints: [Int32] = [-1, 2, 3, -4]
        let i32 = ints.flatMap { v -> [UInt8] in let b = UInt32(bitPattern: v); return (0..<4).map { UInt8((b >> (8 * UInt32($0))) & 0xFF) } }
        let b = try NumPyReader.parse([UInt8](Self.npy(descr: "<i4", shape: "(2, 2)", payload: i32)), source: "a.npy")
        #expect(b.values == Matrix(rowList: [[-1, 2], [3, -4]]))
        let u8 = try NumPyReader.parse([UInt8](Self.npy(descr: "|u1", shape: "(2, 2)", payload: [0, 255, 7, 16])), source: "a.npy")
        #expect(u8.values == Matrix(rowList: [[0, 255], [7, 16]]))
    }

    @Test func npyRefusals() throws {
        func refusal(_ data: Data) -> DataFileError? {
            do { _ = try NumPyReader.parse([UInt8](data), source: "a.npy"); return nil } catch { return error }
        }
        #expect(try #require(refusal(Data("not numpy".utf8))).problem.contains("magic"))
        #expect(try #require(refusal(Self.npy(descr: ">f8", shape: "(2, 2)", payload: [UInt8](repeating: 0, count: 32)))).problem.contains("element type"))
        #expect(try #require(refusal(Self.npy(descr: "<f8", shape: "(4,)", payload: Self.littleEndian([1, 2, 3, 4])))).problem.contains("2-D"))
        #expect(try #require(refusal(Self.npy(descr: "<f8", shape: "(2, 2)", payload: Self.littleEndian([1, 2, 3])))).problem.contains("data bytes"))
        let nan = try #require(refusal(Self.npy(descr: "<f8", shape: "(2, 2)", payload: Self.littleEndian([1, 2, .nan, 4]))))
        #expect(nan.problem.contains("row 2, column 1"))
        #expect(try #require(refusal(Self.npy(descr: "<f8", shape: "(1, 2)", payload: Self.littleEndian([1, 2])))).problem.contains("at least 2"))
    }

    @Test func npyFileByExtension() throws {
        let path = try Self.temporaryFile("m.npy", Self.npy(descr: "<f8", shape: "(2, 2)", payload: Self.littleEndian([1, 2, 3, 5])))
        #expect(try DataFile.readData(path: path).values == Matrix(rowList: [[1, 2], [3, 5]]))
    }

    @Test func covarianceFileChecks() throws {
        let good = try Self.temporaryFile("c.csv", Data("2,1\n1,2\n".utf8))
        #expect(try DataFile.readCovariance(path: good).values == Matrix(rowList: [[2, 1], [1, 2]]))
        let nonSquare = try Self.temporaryFile("c.csv", Data("2,1,0\n1,2,0\n".utf8))
        #expect(throws: DataFileError.self) { try DataFile.readCovariance(path: nonSquare) }
        let asymmetric = try Self.temporaryFile("c.csv", Data("s1,s2\n2,1\n1.5,2\n".utf8))
        do {
            _ = try DataFile.readCovariance(path: asymmetric)
            Issue.record("an asymmetric matrix was accepted")
        } catch {
            #expect(error.line == 3 && error.problem.contains("not symmetric"))
        }
    }
}
