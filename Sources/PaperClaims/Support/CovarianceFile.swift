import DataFiles
import Foundation
import Instances
import LinearAlgebra
import Synchronization

/// A user's covariance named in a claim's `instances:` section, so that the existing claims run
/// on it unchanged: `covariance-file: PATH` (a symmetric positive-semidefinite matrix) or
/// `data-file: PATH` (rows = samples; its 1/n covariance), with `standardise: true` to scale
/// the data's columns to unit variance first. CSV or NumPy `.npy`; `ClaimCatalogue.load` makes a
/// relative path absolute from the catalogue's folder. `attention-pca verify --covariance FILE` (or `--data FILE`) names
/// one for every selected claim that ranges over covariances.
///
/// A singular covariance is not refused: the claims run on its non-null part, in the basis of
/// its eigenvectors (`PrincipalSubspace`), where the paper's statements are unchanged (a
/// zero-variance direction carries no signal, and mu has no component along it at the
/// optimum). Malformed files are refused up front, naming the file, the line and the problem.
enum CovarianceFile {
    /// The keys that name a file; either replaces `dimension` and `spectra`.
    static let keys = ["covariance-file", "data-file"]

    /// True when `section` names a covariance or data file.
    static func isNamed(in section: CatalogueSection) -> Bool { keys.contains(where: section.has) }

    /// The covariance instance `section` names, reduced to its non-null part, checked against
    /// the claim's `relative-gap-floor` and `maxCondition` (a claim's statements and its step
    /// budgets assume both).
    static func instance(_ section: CatalogueSection, floor: Double, maxCondition: Double) throws(CatalogueError) -> CovarianceInstance {
        let isData = section.has("data-file")
        let key = isData ? "data-file" : "covariance-file"
        if section.has("covariance-file") && isData {
            throw CatalogueError(file: section.file, field: "\(section.name)", problem: "names both a covariance-file and a data-file; give one")
        }
        let path = try section.text(key)
        let standardise = try flag(section, "standardise")
        if standardise && !isData {
            throw CatalogueError(file: section.file, field: "\(section.name).standardise", problem: "applies to a data-file only")
        }
        let instance: CovarianceInstance
        do {
            instance = try read(path, isData: isData, standardise: standardise)
        } catch {
            throw CatalogueError(file: section.file, field: "\(section.name).\(key)", problem: "\(error)")
        }
        let covariance = instance.covariance
        if covariance.dimension > 1, !(instance.relativeGap >= floor) {
            throw CatalogueError(
                file: section.file, field: "\(section.name).\(key)",
                problem: "\(path): relative top gap (s_1 - s_2) / s_1 = \(String(format: "%.3g", instance.relativeGap)) is below the claim's "
                    + "relative-gap-floor \(floor): u_1 is too close to undetermined for the claim's tolerances (lower the floor only if "
                    + "its derivation allows)")
        }
        if !(covariance.conditionNumber <= maxCondition) {
            throw CatalogueError(
                file: section.file, field: "\(section.name).\(key)",
                problem: "\(path): condition number \(String(format: "%.3g", covariance.conditionNumber)) of its non-null part exceeds the "
                    + "claim's condition-number-max \(String(format: "%.3g", maxCondition)): its step budgets are derived for that bound "
                    + "(standardise the data, or raise condition-number-max and the budgets with it)")
        }
        return instance
    }

    /// The covariance in the file at `path` (a data matrix's 1/n covariance if `isData`),
    /// reduced to its non-null part; the error names the file, the line and the problem.
    /// Read once per process: every claim of a run (and the catalogue's check up front) names
    /// the same file, and a data file can be large.
    static func read(_ path: String, isData: Bool, standardise: Bool) throws(CatalogueError) -> CovarianceInstance {
        let key = "\(isData ? "data" : "covariance") \(standardise ? "standardised " : "")\(path)"
        if let known = readFiles.withLock({ $0[key] }) { return try known.get() }
        let result = Result { () throws(CatalogueError) in try load(path, isData: isData, standardise: standardise) }
        readFiles.withLock { $0[key] = result }
        return try result.get()
    }

    private static let readFiles = Mutex<[String: Result<CovarianceInstance, CatalogueError>]>([:])

    private static func load(_ path: String, isData: Bool, standardise: Bool) throws(CatalogueError) -> CovarianceInstance {
        let matrix: Matrix
        do {
            if isData {
                let data = try DataFile.readData(path: path)
                matrix = try (standardise ? data.standardised : data).checkedCovariance()
            } else {
                matrix = try DataFile.readCovariance(path: path).values.symmetrised
            }
        } catch {
            throw CatalogueError(file: error.line.map { "\(path):\($0)" } ?? path, field: "", problem: error.problem)
        }
        let subspace: PrincipalSubspace
        do { subspace = try PrincipalSubspace(matrix) } catch {
            throw CatalogueError(file: path, field: "", problem: "\(error)")
        }
        let name = URL(fileURLWithPath: path).lastPathComponent
        let note = subspace.nullity > 0 ? "file \(name), rank \(subspace.rank) of \(subspace.ambientDimension), non-null part" : "file \(name)"
        return CovarianceInstance(covariance: subspace.reduced, family: note)
    }

    /// An optional yes/no field (YAML true/false), false when absent.
    static func flag(_ section: CatalogueSection, _ key: String) throws(CatalogueError) -> Bool {
        guard section.has(key) else { return false }
        switch try section.value(key) {
        case .text(let t) where ["true", "yes"].contains(t.lowercased()): return true
        case .text(let t) where ["false", "no"].contains(t.lowercased()): return false
        case .number(let x) where x == 0 || x == 1: return x == 1
        default: throw CatalogueError(file: section.file, field: "\(section.name).\(key)", problem: "must be true or false")
        }
    }
}
