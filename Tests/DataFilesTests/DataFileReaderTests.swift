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

    /// The error reading the file at `path` as data (or as a covariance), or nil if it was accepted.
    static func refusal(reading path: String, asCovariance: Bool = false) -> DataFileError? {
        do {
            _ = try asCovariance ? DataFile.readCovariance(path: path) : DataFile.readData(path: path)
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

    /// What spreadsheets, other systems and NumPy's `savetxt` write: every line ending, a
    /// byte-order mark, each separator. All read the same matrix as the plain file.
    @Test func csvLineEndingsAndByteOrderMark() throws {
        let plain = try CSVReader.parse("a,b\n1,2\n3,4.5\n", source: "x.csv")
        for text in ["a,b\r\n1,2\r\n3,4.5\r\n", "a,b\r1,2\r3,4.5\r", "\u{FEFF}a,b\n1,2\n3,4.5\n", "\u{FEFF}a,b\r\n1,2\r\n3,4.5"] {
            let m = try CSVReader.parse(text, source: "x.csv")
            #expect(m.values == plain.values && m.columnNames == ["a", "b"] && m.rowLines == [2, 3], "\(text.debugDescription)")
        }
        // A byte-order mark before a numeric first line must not turn that row into a header.
        let noHeader = try CSVReader.parse("\u{FEFF}1,2\r\n3,4.5\r\n", source: "x.csv")
        #expect(noHeader.columnNames == nil && noHeader.values == plain.values)
        // Through the file reader too (Foundation's decoding of the bytes).
        let path = try Self.temporaryFile("w.csv", Data([0xEF, 0xBB, 0xBF] + Array("1,2\r\n3,4.5\r\n".utf8)))
        #expect(try DataFile.readData(path: path).values == plain.values)
    }

    @Test func csvSeparators() throws {
        let expected = Matrix(rowList: [[1, -2], [3e-1, 4]])
        // NumPy's savetxt default: runs of spaces (and tabs), scientific notation.
        let spaced = try CSVReader.parse("1.000000000000000000e+00 -2.000000000000000000e+00\n3e-1   4\n", source: "x.txt")
        #expect(spaced.values == expected && spaced.columnNames == nil)
        #expect(try CSVReader.parse("# x y\nx\ty\n1\t-2\n0.3\t4\n", source: "x.tsv").values == expected)
        #expect(try CSVReader.parse("x;y\n1;-2\n0.3;4\n", source: "x.csv").values == expected)
        // A semicolon inside a quoted header name is not the separator.
        let quoted = try CSVReader.parse("\"mass (kg; dry)\",\"y\"\n1,-2\n0.3,4\n", source: "x.csv")
        #expect(quoted.values == expected && quoted.columnNames == ["mass (kg; dry)", "y"])
        // Decimal commas (semicolon-separated locales) are named, not misread.
        let e = try #require(Self.refusal("x;y\n1,5;2\n3;4\n"))
        #expect(e.line == 2 && e.problem.contains("decimal comma"))
        #expect(Self.refusal("x;y\nabc;2\n3;4\n")?.problem.contains("decimal comma") == false)
    }

    /// Row labels as pandas' to_csv and R's write.csv write them: a row index under an unnamed
    /// header (0, 1, 2, ... or 1, 2, 3, ...) or row names are set apart, never read as data;
    /// an unnamed column of other numbers, or numbered rows under a real name, are data.
    @Test func rowLabelsSetApart() throws {
        let expected = Matrix(rowList: [[1.5, 2], [3, 4], [5, 7]])
        for text in [",a,b\n0,1.5,2\n1,3,4\n2,5,7\n", "\"\",\"a\",\"b\"\n\"1\",1.5,2\n\"2\",3,4\n\"3\",5,7\n",
                     "Unnamed: 0,a,b\n0,1.5,2\n1,3,4\n2,5,7\n", "name,a,b\nx1,1.5,2\nx2,3,4\nx3,5,7\n"] {
            let m = try CSVReader.parse(text, source: "x.csv")
            #expect(m.values == expected && m.columnNames == ["a", "b"] && m.rowLabels?.count == 3 && m.rowLines == [2, 3, 4], "\(text)")
        }
        #expect(try CSVReader.parse("name,a,b\nx1,1.5,2\nx2,3,4\n", source: "x.csv").rowLabels == ["x1", "x2"])
        let unlabelled = try CSVReader.parse(",a,b\n0,1.5,2\n5,3,4\n2,5,7\n", source: "x.csv")
        #expect(unlabelled.rowLabels == nil && unlabelled.dimension == 3)
        #expect(try CSVReader.parse("id,a,b\n0,1.5,2\n1,3,4\n2,5,7\n", source: "x.csv").dimension == 3)
        // A column of names must name every row: a number or a missing value among them is refused.
        for bad in ["3", "NA", ""] {
            let f = try #require(Self.refusal("name,a,b\nx1,1.5,2\n\(bad),3,4\nx3,5,7\n"))
            #expect(f.line == 3 && f.problem.contains("names on every row"), "\(bad)")
        }
        // A class column anywhere (iris' species) is a label column too.
        let iris = try CSVReader.parse("sepal,species,petal\n5.1,setosa,1.4\n4.9,setosa,1.4\n7.0,versicolor,4.7\n", source: "iris.csv")
        #expect(iris.values == Matrix(rowList: [[5.1, 1.4], [4.9, 1.4], [7.0, 4.7]]) && iris.columnNames == ["sepal", "petal"])
        #expect(iris.labelColumns == [LabelColumn(position: 2, name: "species", values: ["setosa", "setosa", "versicolor"])])
        #expect(iris.rowLabels == nil)
        #expect(Self.refusal("a,b\nx,y\n1,2\n") != nil)  // a second header line is not a row of labels
        // A missing value in the first row's first field is a missing value, not a row name.
        #expect(Self.refusal("a,b,c\nNA,1.5,2\n1,3,4\n")?.problem.contains("missing value") == true)
        // Errors still name the file's own field numbers.
        let e = try #require(Self.refusal("name,a,b\nx1,1.5,2\nx2,3,abc\n"))
        #expect(e.line == 3 && e.problem.contains("field 3"))
        // A labelled covariance (pandas' df.cov().to_csv()) reads as its matrix; rows out of
        // the columns' order are refused.
        let covariance = try Self.temporaryFile("c.csv", Data(",a,b\na,2,0.5\nb,0.5,1\n".utf8))
        #expect(try DataFile.readCovariance(path: covariance).values == Matrix(rowList: [[2, 0.5], [0.5, 1]]))
        let swapped = try Self.temporaryFile("c.csv", Data(",a,b\nb,2,0.5\na,0.5,1\n".utf8))
        let outOfOrder = try #require(Self.refusal(reading: swapped, asCovariance: true), "rows out of the columns' order were accepted")
        #expect(outOfOrder.line == 2 && outOfOrder.problem.contains("same order"))
    }

    @Test func missingValuesAreNamed() throws {
        for marker in ["NA", "?", "null", ""] {
            let e = try #require(Self.refusal("a,b\n1,2\n3,\(marker)\n"))
            #expect(e.line == 3 && e.problem.contains("missing value"), "\(marker)")
        }
        #expect(Self.refusal("a,b\n1,2\n3,abc\n")?.problem.contains("missing") == false)
    }

    @Test func filesAreReadByWhatTheyHold() throws {
        // A .npy array under another name is still read as one.
        let array = try Self.temporaryFile("m.dat", Self.npy(descr: "<f8", shape: "(2, 2)", payload: Self.littleEndian([1, 2, 3, 5])))
        #expect(try DataFile.readData(path: array).values == Matrix(rowList: [[1, 2], [3, 5]]))
        // An .npz (a zip archive) is refused with how to convert it.
        let zip = try Self.temporaryFile("m.npz", Data([0x50, 0x4B, 0x03, 0x04] + [UInt8](repeating: 0, count: 40)))
        let archive = try #require(Self.refusal(reading: zip), "a zip archive was accepted")
        #expect(archive.problem.contains("zip archive") && archive.problem.contains("numpy.save"))
        let binary = try Self.temporaryFile("m.bin", Data([0xFF, 0xFE, 0x00, 0xD8, 0x00]))
        #expect(throws: DataFileError.self) { try DataFile.readData(path: binary) }
    }

    /// Data at scales whose squares leave double precision: the covariance is refused with the
    /// column named (never an infinite or zero matrix passed on), and standardising still works,
    /// giving what it gives on the same data at an ordinary scale.
    @Test func extremeScales() throws {
        let rows: [[Double]] = [[1, 2], [3, -1], [-2, 0.5], [4, 1]]
        let ordinary = DataMatrix(source: "x.csv", columnNames: nil, values: Matrix(rowList: rows), rowLines: nil)
        for scale in [1e200, 1e-200] {
            let scaled = DataMatrix(source: "x.csv", columnNames: ["a", "b"], values: Matrix(rowList: rows.map { $0.map { $0 * scale } }), rowLines: nil)
            do {
                _ = try scaled.checkedCovariance()
                Issue.record("the covariance of data at scale \(scale) was accepted")
            } catch {
                #expect(error.problem.contains(scale > 1 ? "overflows" : "underflows") && error.problem.contains("column 1 (a)"))
            }
            // Tolerance: scaling each value by 1e+-200 rounds once (2^-53 relative), centring
            // amplifies that by at most max|x| / min|x - mean| = 4 / 0.5 = 8 here, and the two
            // standardisations differ by about ten more roundings (means, sums of four squares, a
            // square root, divisions): under 20 * 2^-53 = 2.2e-15 relative. 1e-14 leaves a factor 4.5.
            let a = scaled.standardised.values, b = ordinary.standardised.values
            for i in 0..<4 { for j in 0..<2 { #expect(abs(a[i, j] - b[i, j]) <= 1e-14 * abs(b[i, j]) + 1e-15, "scale \(scale) (\(i), \(j))") } }
            #expect(try scaled.standardised.checkedCovariance()[0, 0].isFinite)
        }
        // At an ordinary scale, standardising is the plain formula, bit for bit.
        let c = ordinary.centred
        for j in 0..<2 {
            let sd = ((0..<4).reduce(0.0) { $0 + c[$1, j] * c[$1, j] } / 4).squareRoot()
            for i in 0..<4 { #expect(ordinary.standardised.values[i, j] == c[i, j] / sd) }
        }
        // Values near the largest double: the mean stays finite.
        let near = DataMatrix(source: "x.csv", columnNames: nil, values: Matrix(rowList: [[1.5e308], [1.7e308], [1.6e308]]), rowLines: nil)
        #expect(near.mean[0].isFinite && abs(near.mean[0] - 1.6e308) < 1e294)
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

    /// Big-endian arrays (written by some tools and by numpy's astype('>f8')), half precision
    /// and booleans: each element converts exactly.
    @Test func npyByteOrdersHalvesAndBooleans() throws {
        let big = [1.5, -2, 3, 1e-300].flatMap { v -> [UInt8] in let b = v.bitPattern; return (0..<8).reversed().map { UInt8((b >> (8 * UInt64($0))) & 0xFF) } }
        let a = try NumPyReader.parse([UInt8](Self.npy(descr: ">f8", shape: "(2, 2)", payload: big)), source: "a.npy")
        #expect(a.values == Matrix(rowList: [[1.5, -2], [3, 1e-300]]))
        let ints: [Int32] = [-1, 2, 70000, -4]
        let bigInts = ints.flatMap { v -> [UInt8] in let b = UInt32(bitPattern: v); return (0..<4).reversed().map { UInt8((b >> (8 * UInt32($0))) & 0xFF) } }
        let b = try NumPyReader.parse([UInt8](Self.npy(descr: ">i4", shape: "(2, 2)", payload: bigInts)), source: "a.npy")
        #expect(b.values == Matrix(rowList: [[-1, 2], [70000, -4]]))
        // float16: 1.0 = 0x3C00, -2.0 = 0xC000, 0.5 = 0x3800, 65504 = 0x7BFF, little-endian.
        let halves: [UInt8] = [0x00, 0x3C, 0x00, 0xC0, 0x00, 0x38, 0xFF, 0x7B]
        let h = try NumPyReader.parse([UInt8](Self.npy(descr: "<f2", shape: "(2, 2)", payload: halves)), source: "a.npy")
        #expect(h.values == Matrix(rowList: [[1, -2], [0.5, 65504]]))
        let flags = try NumPyReader.parse([UInt8](Self.npy(descr: "|b1", shape: "(2, 2)", payload: [1, 0, 0, 1])), source: "a.npy")
        #expect(flags.values == Matrix(rowList: [[1, 0], [0, 1]]))
    }

    @Test func npyRefusals() throws {
        func refusal(_ data: Data) -> DataFileError? {
            do { _ = try NumPyReader.parse([UInt8](data), source: "a.npy"); return nil } catch { return error }
        }
        #expect(try #require(refusal(Data("not numpy".utf8))).problem.contains("magic"))
        #expect(try #require(refusal(Self.npy(descr: "<c16", shape: "(2, 2)", payload: [UInt8](repeating: 0, count: 64)))).problem.contains("element type"))
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
        let notSymmetric = try #require(Self.refusal(reading: asymmetric, asCovariance: true), "an asymmetric matrix was accepted")
        #expect(notSymmetric.line == 3 && notSymmetric.problem.contains("not symmetric"))
    }
}
