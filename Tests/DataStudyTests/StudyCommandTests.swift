import Foundation
import Testing
import TestSupport

/// `attention-pca study` end to end through the built binary: a malformed file exits 2 with
/// an error naming the file, line and problem; a small real study exits 0 and writes its report.
struct StudyCommandTests {
    static let binary = BuiltCommand.binary

    /// Runs the binary; a crash (a signal, not an exit) is a test failure.
    static func run(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        let outcome = try BuiltCommand.run(arguments)
        #expect(!outcome.crashed, "crashed: \(arguments)")
        return (outcome.status, outcome.out, outcome.err)
    }

    static func file(_ name: String, _ text: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("study-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test(arguments: [
        ("ragged.csv", "a,b\n1,2\n3\n", ":3: has 1 fields"),
        ("word.csv", "1,2\n3,x\n", ":2: field 2 is 'x'"),
        ("nan.csv", "1,2\n3,nan\n", ":2: field 2 is 'nan'"),
        ("single.csv", "1,2\n", "at least 2"),
    ])
    func malformedDataExitsTwo(name: String, text: String, expected: String) throws {
        let path = try Self.file(name, text)
        let result = try Self.run(["study", path, "--output", path + ".report"])
        #expect(result.status == 2)
        #expect(result.err.contains(path) && result.err.contains(expected), "\(result.err)")
    }

    @Test func malformedCovarianceExitsTwo() throws {
        let asymmetric = try Self.file("c.csv", "2,1\n0,2\n")
        let a = try Self.run(["study", "--covariance", asymmetric])
        #expect(a.status == 2 && a.err.contains("not symmetric"), "\(a.err)")
        let indefinite = try Self.file("d.csv", "1,2\n2,1\n")
        let b = try Self.run(["study", "--covariance", indefinite])
        #expect(b.status == 2 && b.err.contains("indefinite"), "\(b.err)")
    }

    @Test func singularCovarianceStudied() throws {
        let path = try Self.file("singular.csv", "4,0,0\n0,1,0\n0,0,0\n")
        let output = path + ".report"
        let result = try Self.run(["study", "--covariance", path, "--steps", "300", "--runs", "3", "--prompt-length", "30", "--output", output])
        #expect(result.status == 0, "\(result.err)")
        let report = try String(contentsOfFile: output + "/REPORT.md", encoding: .utf8)
        #expect(report.contains("singular") && report.contains("| rank"))
    }
}
