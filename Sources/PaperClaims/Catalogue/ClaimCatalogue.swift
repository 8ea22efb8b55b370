import Foundation
import PropertyEngine
import Yams

/// The claims catalogue: every `*.yaml` file under `Properties/`, one claim per file, read and
/// validated (required fields, types, ranges, unique ids, known negative controls).
public struct ClaimCatalogue: Sendable {
    /// The entries, sorted by id.
    public let entries: [ClaimEntry]

    /// Entries given directly (tests build catalogues in memory).
    public init(entries: [ClaimEntry]) { self.entries = entries.sorted { $0.id < $1.id } }

    /// The entry with this id.
    public func entry(_ id: String) throws(CatalogueError) -> ClaimEntry {
        guard let e = entries.first(where: { $0.id == id }) else {
            throw CatalogueError(file: "Properties", field: "", problem: "no claim with id '\(id)'; known: \(entries.map(\.id).joined(separator: ", "))")
        }
        return e
    }

    /// The folder `Properties/` found from the current directory upward (the repository root),
    /// or from the ATTENTION_PCA_PROPERTIES environment variable.
    public static func defaultFolder() throws(CatalogueError) -> URL {
        if let path = ProcessInfo.processInfo.environment["ATTENTION_PCA_PROPERTIES"] { return URL(fileURLWithPath: path) }
        var folder = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        for _ in 0..<8 {
            let candidate = folder.appendingPathComponent("Properties")
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isFolder), isFolder.boolValue,
               FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) {
                return candidate
            }
            folder.deleteLastPathComponent()
        }
        throw CatalogueError(file: "Properties", field: "", problem: "no Properties/ folder found above \(FileManager.default.currentDirectoryPath); run from the repository or set ATTENTION_PCA_PROPERTIES")
    }

    /// Reads every `*.yaml` file in `folder`.
    public static func load(from folder: URL) throws(CatalogueError) -> ClaimCatalogue {
        let files: [URL]
        do {
            files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
                .filter { $0.pathExtension == "yaml" }
                .sorted { $0.lastPathComponent < $1.lastPathComponent }
        } catch {
            throw CatalogueError(file: folder.path, field: "", problem: "cannot list the folder: \(error.localizedDescription)")
        }
        guard !files.isEmpty else { throw CatalogueError(file: folder.path, field: "", problem: "has no *.yaml claim files") }
        var entries = [ClaimEntry]()
        for url in files {
            let source: String
            do { source = try String(contentsOf: url, encoding: .utf8) } catch {
                throw CatalogueError(file: url.lastPathComponent, field: "", problem: "cannot be read: \(error.localizedDescription)")
            }
            var entry = try parse(source, file: url.lastPathComponent)
            // A covariance or data file named relative to the claim file is found from its folder.
            for key in CovarianceFile.keys where entry.instances.has(key) {
                let path = try entry.instances.text(key)
                if !path.hasPrefix("/") {
                    entry.instances = entry.instances.setting(key, to: .text(folder.appendingPathComponent(path).standardizedFileURL.path))
                }
            }
            if let other = entries.first(where: { $0.id == entry.id }) {
                throw CatalogueError(file: url.lastPathComponent, field: "id", problem: "'\(entry.id)' is also the id of \(other.file)")
            }
            entries.append(entry)
        }
        return ClaimCatalogue(entries: entries)
    }

    /// The catalogue with every claim that ranges over covariances (its `instances:` list
    /// `spectra`) run on the user's covariance instead: `file` is a covariance matrix, or, with
    /// `isData`, a data matrix whose 1/n covariance is used (columns scaled to unit variance
    /// first with `standardise`). The file is read here, so a malformed one is refused before any
    /// claim runs, naming its line. Left out, each with its reason in `excluded`: the claims that
    /// range over something else (the in-context ones), and those whose derivation fixes the
    /// dimension (`dimension: [k, k]`) at another value than the file's non-null rank.
    public func usingCovariance(file: String, isData: Bool, standardise: Bool) throws(CatalogueError)
        -> (catalogue: ClaimCatalogue, excluded: [(id: String, reason: String)]) {
        let path = URL(fileURLWithPath: file).standardizedFileURL.path
        let d = try CovarianceFile.read(path, isData: isData, standardise: standardise).covariance.dimension
        var kept = [ClaimEntry](), excluded = [(id: String, reason: String)]()
        for var entry in entries {
            guard entry.instances.has("spectra") || CovarianceFile.isNamed(in: entry.instances) else {
                excluded.append((entry.id, "it draws its own in-context instances, not a covariance"))
                continue
            }
            if entry.instances.has("dimension"), let range = try? entry.instances.integerRange("dimension", atLeast: 1),
               range.lowerBound == range.upperBound, range.lowerBound != d {
                excluded.append((entry.id, "its derivation holds at d = \(range.lowerBound) only; the file's covariance has d = \(d)"))
                continue
            }
            var section = CatalogueSection(file: entry.instances.file, name: entry.instances.name,
                                           entries: entry.instances.entries.filter { !CovarianceFile.keys.contains($0.key) && $0.key != "standardise" })
            section = section.setting(isData ? "data-file" : "covariance-file", to: .text(path))
            if standardise { section = section.setting("standardise", to: .text("true")) }
            entry.instances = section
            kept.append(entry)
        }
        return (ClaimCatalogue(entries: kept), excluded)
    }

    /// Parses one claim file's contents (YAML).
    public static func parse(_ source: String, file: String) throws(CatalogueError) -> ClaimEntry {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: source) else { throw CatalogueError(file: file, field: "", problem: "is empty") }
            root = node
        } catch let error as CatalogueError {
            throw error
        } catch {
            throw CatalogueError(file: file, field: "", problem: "is not valid YAML: \(error)")
        }
        guard let mapping = root.mapping else { throw CatalogueError(file: file, field: "", problem: "must be a mapping of fields (key: value)") }
        let known = ["id", "title", "paper", "statement", "kind", "instances", "protocol", "statistic", "tolerance", "decision", "budget", "negative-controls"]
        for key in mapping.keys {
            guard let name = key.string, known.contains(name) else {
                throw CatalogueError(file: file, field: key.string ?? "?", problem: "is not a known field; known fields: \(known.joined(separator: ", "))")
            }
        }
        func text(_ key: String) throws(CatalogueError) -> String {
            guard let node = mapping[key] else { throw CatalogueError(file: file, field: key, problem: "is missing") }
            guard let s = node.string, !s.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw CatalogueError(file: file, field: key, problem: "must be a non-empty text")
            }
            return s.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        func section(_ key: String, required: Bool = true) throws(CatalogueError) -> CatalogueSection? {
            guard let node = mapping[key] else {
                if required { throw CatalogueError(file: file, field: key, problem: "is missing") }
                return nil
            }
            guard let m = node.mapping else { throw CatalogueError(file: file, field: key, problem: "must be a mapping of named values") }
            var entries = [(key: String, value: CatalogueValue)]()
            for (k, v) in m {
                guard let name = k.string else { throw CatalogueError(file: file, field: key, problem: "has a key that is not a name") }
                entries.append((name, try value(v, field: "\(key).\(name)")))
            }
            return CatalogueSection(file: file, name: key, entries: entries)
        }
        func value(_ node: Node, field: String) throws(CatalogueError) -> CatalogueValue {
            switch node {
            case let .scalar(scalar):
                if let x = Double(scalar.string.replacingOccurrences(of: "_", with: "")), scalar.style == .plain { return .number(x) }
                return .text(scalar.string)
            case let .sequence(sequence):
                var items = [CatalogueValue]()
                for item in sequence { items.append(try value(item, field: field)) }
                return .list(items)
            default:
                throw CatalogueError(file: file, field: field, problem: "must be a number, a text or a list")
            }
        }
        let id = try text("id")
        let base = (file as NSString).deletingPathExtension
        guard id == base else { throw CatalogueError(file: file, field: "id", problem: "'\(id)' must equal the file's base name '\(base)'") }
        let kindText = try text("kind")
        guard let kind = PropertyKind(rawValue: kindText) else {
            throw CatalogueError(file: file, field: "kind", problem: "must be 'universal' or 'statistical', got '\(kindText)'")
        }
        let tolerance = try section("tolerance")!
        let derivation = try tolerance.text("derivation")
        let decision = try section("decision", required: kind == .statistical)
        if kind == .statistical, let decision {
            for key in ["false-fail", "false-pass"] {
                let rate = try decision.number(key)
                guard rate > 0, rate < 0.5 else { throw CatalogueError(file: file, field: "decision.\(key)", problem: "must be in (0, 0.5), got \(rate)") }
            }
        }
        let budgetSection = try section("budget")!
        let budget = Budget(quick: try budgetSection.integer("quick", atLeast: 1),
                            nightly: try budgetSection.integer("nightly", atLeast: 1),
                            paper: try budgetSection.integer("paper", atLeast: 1))
        var controls = [String]()
        if let node = mapping["negative-controls"] {
            guard let list = node.sequence, !list.isEmpty else {
                throw CatalogueError(file: file, field: "negative-controls", problem: "must be a non-empty list of wrong-model names")
            }
            for item in list {
                guard let name = item.string, Sabotage(rawValue: name) != nil else {
                    throw CatalogueError(file: file, field: "negative-controls", problem: "unknown wrong model '\(item.string ?? "?")'; known: \(Sabotage.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                controls.append(name)
            }
        } else {
            throw CatalogueError(file: file, field: "negative-controls", problem: "is missing: every claim names the wrong models it must reject")
        }
        return ClaimEntry(id: id, title: try text("title"), paper: try text("paper"), statement: try text("statement"), kind: kind,
                          instances: try section("instances")!, method: try section("protocol")!, statistic: try text("statistic"),
                          tolerance: tolerance, toleranceDerivation: derivation, decision: decision, budget: budget,
                          negativeControls: controls, file: file)
    }
}
