import Foundation
import PaperClaims
import Testing

/// Every section the catalogue cites exists. Each `§N` or `§N.M` in Properties/*.yaml (the
/// `paper:`, statement, protocol and derivation texts alike, comments included) must name a
/// numbered heading of docs/MATHEMATICS.md ("## N. Title" or "### N.M Title"), and no entry may
/// cite SPEC, a document that is not in the repository. README.md and docs/*.md (whose § numbers
/// are all MATHEMATICS.md's), and the lines of Sources/ that cite docs/MATHEMATICS.md, are held
/// to the same rule, so a renumbered or deleted section fails here instead of leaving a dangling
/// reference.
@Suite("Catalogue references")
struct CatalogueReferenceTests {
    /// The Properties/ folder, found as the claim tests find it.
    static let properties: URL = {
        do { return try ClaimCatalogue.defaultFolder() } catch { fatalError("no Properties/ folder: \(error)") }
    }()

    /// The package root (the folder holding Properties/).
    static let root = properties.deletingLastPathComponent()

    /// The text of a file under the package root.
    static func text(_ relativePath: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(relativePath), encoding: .utf8)
    }

    /// The catalogue files, by name.
    static let catalogueFiles: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: properties.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted()
    }()

    /// The section numbers of docs/MATHEMATICS.md's numbered headings, in order.
    static func sections(of markdown: String) -> [String] {
        markdown.split(separator: "\n", omittingEmptySubsequences: false).compactMap { line in
            line.firstMatch(of: #/^#{2,3} (\d+(?:\.\d+)?)[.\s]/#).map { String($0.1) }
        }
    }

    /// The section numbers a text cites as `§N` or `§N.M`.
    static func references(in text: some StringProtocol) -> [String] {
        String(text).matches(of: #/§(\d+(?:\.\d+)*)/#).map { String($0.1) }
    }

    static let mathematics: Set<String> = {
        do { return Set(sections(of: try text("docs/MATHEMATICS.md"))) } catch { fatalError("docs/MATHEMATICS.md: \(error)") }
    }()

    @Test("docs/MATHEMATICS.md numbers its sections, each once")
    func headings() throws {
        let numbers = Self.sections(of: try Self.text("docs/MATHEMATICS.md"))
        #expect(numbers.count >= 10, "numbered headings found: \(numbers)")
        #expect(Set(numbers).count == numbers.count, "a section number appears twice: \(numbers)")
        // Every subsection N.M sits under a section N.
        for number in numbers where number.contains(".") {
            #expect(numbers.contains(String(number.prefix { $0 != "." })), "§\(number) has no parent section")
        }
    }

    @Test("the catalogue loads and cites docs/MATHEMATICS.md")
    func catalogueCites() throws {
        let catalogue = try ClaimCatalogue.load(from: Self.properties)
        #expect(catalogue.entries.count == Self.catalogueFiles.count)
        let cited = try Self.catalogueFiles.filter { try Self.text("Properties/\($0)").contains("docs/MATHEMATICS.md §") }
        #expect(!cited.isEmpty, "no catalogue file cites a section of docs/MATHEMATICS.md")
    }

    @Test("every § in the catalogue names a section of docs/MATHEMATICS.md", arguments: catalogueFiles)
    func catalogueReferencesExist(file: String) throws {
        let source = try Self.text("Properties/\(file)")
        for (index, line) in source.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            for number in Self.references(in: line) {
                let exists = Self.mathematics.contains(number)
                #expect(exists, "Properties/\(file):\(index + 1) cites §\(number), which docs/MATHEMATICS.md lacks")
            }
        }
    }

    @Test("no catalogue entry cites SPEC", arguments: catalogueFiles)
    func noSpecCitation(file: String) throws {
        let source = try Self.text("Properties/\(file)")
        for (index, line) in source.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where line.contains(#/\bSPEC\b/#) {
            Issue.record("Properties/\(file):\(index + 1) cites SPEC, which is not in the repository: \(line)")
        }
    }

    @Test("README, docs and Sources cite only sections docs/MATHEMATICS.md has")
    func repositoryReferencesExist() throws {
        var checked = 0
        func check(_ path: String, everyLine: Bool) throws {
            for (index, line) in try Self.text(path).split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where everyLine || line.contains("MATHEMATICS") {
                for number in Self.references(in: line) {
                    checked += 1
                    let exists = Self.mathematics.contains(number)
                    #expect(exists, "\(path):\(index + 1) cites §\(number), which docs/MATHEMATICS.md lacks")
                }
            }
        }
        try check("README.md", everyLine: true)
        let docs = try FileManager.default.contentsOfDirectory(atPath: Self.root.appendingPathComponent("docs").path)
        for name in docs.sorted() where name.hasSuffix(".md") { try check("docs/\(name)", everyLine: true) }
        let sources = Self.root.appendingPathComponent("Sources")
        let files = FileManager.default.enumerator(atPath: sources.path)?.compactMap { $0 as? String } ?? []
        for file in files.sorted() where file.hasSuffix(".swift") { try check("Sources/\(file)", everyLine: false) }
        #expect(checked > 0, "no § reference found outside the catalogue")
    }

    @Test("the check itself: headings and references are read as written")
    func parsing() {
        let markdown = "# Title\n\n## 1. Data\n\n### 1.2 Covariances\n\n## 10. Open\n#### 1.2.3 too deep\n"
        #expect(Self.sections(of: markdown) == ["1", "1.2", "10"])
        #expect(Self.references(in: "see docs/MATHEMATICS.md §3.2, §4 and §10.") == ["3.2", "4", "10"])
        #expect(!Self.mathematics.contains("99.9"))
    }
}
