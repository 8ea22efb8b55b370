import Foundation
import Testing

/// The claims on a user's covariance (issue 11, item 3): `verify --covariance/--data` and a
/// claim file whose `instances:` name a file run the existing claims unchanged; malformed files
/// are refused before any trial, naming the file, the line and the problem.
struct UserCovarianceCommandTests {
    /// A 5 x 5 covariance of rank 4 (eigenvalues 5, 2, 1, 0.5, 0) in a rotated basis: singular on purpose.
    static func singularCovariance() -> String {
        let values = [5.0, 2, 1, 0.5, 0]
        // Householder reflection H = I - 2 v v^T / |v|^2 rotates the eigenbasis away from the axes.
        let v = [1.0, -2, 0.5, 3, -1]
        let norm2 = v.reduce(0) { $0 + $1 * $1 }
        func h(_ i: Int, _ j: Int) -> Double { (i == j ? 1 : 0) - 2 * v[i] * v[j] / norm2 }
        return (0..<5).map { i in
            (0..<5).map { j in String((0..<5).reduce(0.0) { $0 + h(i, $1) * values[$1] * h(j, $1) }) }.joined(separator: ",")
        }.joined(separator: "\n") + "\n"
    }

    static func write(_ text: String, _ name: String, in folder: URL) throws -> String {
        let url = folder.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test(.enabled(if: CommandLineTests.binary != nil))
    func shardsOfAnEditedCovarianceFileAreNotMerged() throws {
        let folder = StandIns.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try Self.write(Self.singularCovariance(), "cov.csv", in: folder)
        var shards: [String] = []
        for k in 1...2 {
            let out = folder.appendingPathComponent("shard-\(k)-of-2.json").path
            let run = try CommandLineTests.run(["verify", "--covariance", file, "--claim", "linear-gd", "--seed", "7", "--shard", "\(k)/2",
                                                "--output", out])
            #expect(run.status == 0, "\(run.err)")
            shards.append(out)
        }
        let merged = folder.appendingPathComponent("merged.json").path
        _ = try Self.write(Self.singularCovariance(), "cov.csv", in: folder)   // rewritten, same bytes: accepted
        let unchanged = try CommandLineTests.run(["merge"] + shards + ["--covariance", file, "--output", merged])
        #expect(unchanged.status == 0, "\(unchanged.err)")
        // The same path with other contents: the shards' claims ran on a matrix this merge would not see.
        _ = try Self.write("4,0,0,0,0\n0,2,0,0,0\n0,0,1,0,0\n0,0,0,0.5,0\n0,0,0,0,0.25\n", "cov.csv", in: folder)
        let edited = try CommandLineTests.run(["merge"] + shards + ["--covariance", file, "--output", merged])
        #expect(edited.status == 2 && edited.err.contains("--covariance/--data file"), "\(edited.err)")
        let without = try CommandLineTests.run(["merge"] + shards + ["--output", merged])
        #expect(without.status == 2, "a merge without the shards' --covariance must be refused: \(without.err)")
    }

    @Test(.enabled(if: CommandLineTests.binary != nil))
    func theClaimsRunUnchangedOnASingularUserCovariance() throws {
        let folder = StandIns.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try Self.write(Self.singularCovariance(), "cov.csv", in: folder)
        let run = try CommandLineTests.run(["verify", "--covariance", file, "--claim", "linear-gd", "--claim", "softmax-infinite-gd"])
        #expect(run.status == 0, "\(run.out)\n\(run.err)")
        #expect(run.out.contains("linear-gd") && run.out.contains("pass"), "\(run.out)")

        // The same through the catalogue: a claim file whose instances name the file, relative to its folder.
        let properties = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Properties")
        let catalogue = folder.appendingPathComponent("catalogue")
        try FileManager.default.createDirectory(at: catalogue, withIntermediateDirectories: true)
        var claim = try String(contentsOf: properties.appendingPathComponent("linear-gd.yaml"), encoding: .utf8)
        let spectra = try #require(claim.split(separator: "\n").first { $0.hasPrefix("  spectra:") })
        claim = claim.replacingOccurrences(of: String(spectra), with: "  covariance-file: ../cov.csv")
        _ = try Self.write(claim, "linear-gd.yaml", in: catalogue)
        let fromCatalogue = try CommandLineTests.run(["verify", "--properties", catalogue.path, "--claim", "linear-gd", "--output",
                                                      folder.appendingPathComponent("results.json").path])
        #expect(fromCatalogue.status == 0, "\(fromCatalogue.out)\n\(fromCatalogue.err)")
        let results = try String(contentsOf: folder.appendingPathComponent("results.json"), encoding: .utf8)
        #expect(results.contains("file cov.csv, rank 4 of 5"), "the report names the file and the projection")
    }

    @Test(.enabled(if: CommandLineTests.binary != nil))
    func claimsThatCannotTakeTheFileAreRefusedByName() throws {
        let folder = StandIns.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try Self.write(Self.singularCovariance(), "cov.csv", in: folder)
        let inContext = try CommandLineTests.run(["verify", "--covariance", file, "--claim", "icl-gd"])
        #expect(inContext.status == 64 && inContext.err.contains("in-context"), "\(inContext.err)")
        let pinned = try CommandLineTests.run(["verify", "--covariance", file, "--claim", "finite-prompt-softmax"])
        #expect(pinned.status == 64 && pinned.err.contains("d = 2 only") && pinned.err.contains("d = 4"), "\(pinned.err)")
        let both = try CommandLineTests.run(["verify", "--covariance", file, "--data", file])
        #expect(both.status == 64, "\(both.err)")
    }

    @Test(.enabled(if: CommandLineTests.binary != nil))
    func malformedFilesAreRefusedUpFrontNamingFileLineAndProblem() throws {
        let folder = StandIns.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let cases: [(option: String, name: String, text: String, expected: [String])] = [
            ("--data", "ragged.csv", "1,2,3\n4,5\n6,7,8\n", ["ragged.csv:2", "ragged"]),
            ("--data", "word.csv", "1,2\n3,x\n5,6\n", ["word.csv:2", "not a number"]),
            ("--data", "nan.csv", "1,2\n3,nan\n5,6\n", ["nan.csv:2"]),
            ("--data", "single.csv", "1,2,3\n", ["single.csv"]),
            ("--covariance", "asymmetric.csv", "2,0.5\n0.4,1\n", ["asymmetric.csv:", "not symmetric"]),
            ("--covariance", "indefinite.csv", "1,2\n2,1\n", ["indefinite.csv", "indefinite"]),
        ]
        for c in cases {
            let file = try Self.write(c.text, c.name, in: folder)
            let run = try CommandLineTests.run(["verify", c.option, file, "--claim", "linear-gd"])
            #expect(run.status == 2, "\(c.name): exit \(run.status): \(run.err)")
            for text in c.expected { #expect(run.err.contains(text), "\(c.name): \(run.err)") }
            #expect(!run.err.contains("started"), "\(c.name): no claim may start before the file is checked")
        }
    }
}
