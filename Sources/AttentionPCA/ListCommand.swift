import ArgumentParser
import Foundation
import PaperClaims
import Reports

/// `attention-pca list`: the claims of the catalogue and the reproducible experiments.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the claims that can be verified and the experiments (figures) that can be reproduced.")

    @Option(name: [.customLong("properties"), .customLong("catalogue")],
            help: "The claims folder, Properties/ (default: Properties/ above the current directory, or $ATTENTION_PCA_PROPERTIES; --catalogue is an alias).")
    var catalogue: String?

    func run() throws {
        try guarded {
            let folder = try catalogue.map { URL(fileURLWithPath: $0) } ?? ClaimCatalogue.defaultFolder()
            let cat = try ClaimCatalogue.load(from: folder)
            let implemented = Set(PaperClaims.implementations.map { $0.id })
            print("Claims (\(cat.entries.count)) — verify with: attention-pca verify --claim ID")
            let width = cat.entries.map(\.id.count).max() ?? 0
            for e in cat.entries {
                let pad = String(repeating: " ", count: max(0, width - e.id.count))
                let mark = implemented.contains(e.id) ? "" : "  [no implementation yet]"
                print("  \(e.id)\(pad)  \(e.kind.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0))  \(e.paper): \(e.title)\(mark)")
            }
            print("")
            print("Experiments (\(PaperClaims.experiments.count)) — reproduce with: attention-pca reproduce ID")
            for e in PaperClaims.experiments {
                print("  \(e.id.padding(toLength: max(14, e.id.count), withPad: " ", startingAt: 0))  \(e.title)  [\(e.parameters)]")
            }
        }
    }
}
