import AttentionModels
import Foundation
import LinearAlgebra

/// Where and how a run happened: toolchain, OS, CPU, BLAS and its threading, source revision.
/// Recorded in `results.json` and the report's Environment section so a reader can tell
/// whether two runs are comparable.
public struct RunEnvironment: Codable, Equatable, Sendable {
    /// The Swift compiler the tool was built with.
    public var swiftVersion: String
    /// Operating system (distribution name and kernel).
    public var operatingSystem: String
    /// CPU model name.
    public var cpuModel: String
    /// Logical cores available to the process.
    public var cores: Int
    /// Worker threads the run used for trials.
    public var workers: Int
    /// The BLAS library: OpenBLAS's configuration string and chosen kernel.
    public var blas: String
    /// BLAS threading: OPENBLAS_NUM_THREADS and OPENBLAS_CORETYPE as the process saw them.
    public var blasThreading: String
    /// The instruction set the attention layer's kernel ran with (results are bit-identical
    /// on all of them, so this explains speed, not values); nil in results from before it was recorded.
    public var layerKernel: String?
    /// The git commit of the working tree ("unknown" outside a repository).
    public var gitCommit: String
    /// Whether tracked files had uncommitted changes (nil when unknown).
    public var gitDirty: Bool?

    /// An environment from explicit values (tests use fixed ones).
    public init(swiftVersion: String, operatingSystem: String, cpuModel: String, cores: Int, workers: Int,
                blas: String, blasThreading: String, layerKernel: String? = nil, gitCommit: String, gitDirty: Bool?) {
        self.swiftVersion = swiftVersion
        self.operatingSystem = operatingSystem
        self.cpuModel = cpuModel
        self.cores = cores
        self.workers = workers
        self.blas = blas
        self.blasThreading = blasThreading
        self.layerKernel = layerKernel
        self.gitCommit = gitCommit
        self.gitDirty = gitDirty
    }

    /// The environment of this process, for a run on `workers` threads.
    public static func current(workers: Int) -> RunEnvironment {
        let env = ProcessInfo.processInfo.environment
        let commit = run(["git", "rev-parse", "HEAD"])?.trimmingCharacters(in: .whitespacesAndNewlines)
        let status = run(["git", "status", "--porcelain", "--untracked-files=no"])
        return RunEnvironment(
            swiftVersion: compilerVersion, operatingSystem: operatingSystemName(),
            cpuModel: cpuModelName(), cores: ProcessInfo.processInfo.activeProcessorCount, workers: workers,
            blas: "\(BLASRuntime.configuration) (kernel \(BLASRuntime.coreName))",
            blasThreading: "OPENBLAS_NUM_THREADS=\(env["OPENBLAS_NUM_THREADS"] ?? "unset (the harness sets 1 thread)"), OPENBLAS_CORETYPE=\(env["OPENBLAS_CORETYPE"] ?? "unset (autodetected)")",
            layerKernel: InstructionSet.best.description,
            gitCommit: (commit?.isEmpty == false ? commit : nil) ?? "unknown",
            gitDirty: commit == nil ? nil : status.map { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty })
    }

    /// The compiler version, known at compile time.
    static var compilerVersion: String {
        #if compiler(>=6.4)
        return "Swift ≥ 6.4"
        #elseif compiler(>=6.3.1)
        return "Swift 6.3.1"
        #elseif compiler(>=6.3)
        return "Swift 6.3"
        #elseif compiler(>=6.2)
        return "Swift 6.2"
        #elseif compiler(>=6.1)
        return "Swift 6.1"
        #else
        return "Swift 6.0"
        #endif
    }

    static func operatingSystemName() -> String {
        var name = ProcessInfo.processInfo.operatingSystemVersionString
        if let release = try? String(contentsOfFile: "/etc/os-release", encoding: .utf8),
           let line = release.split(separator: "\n").first(where: { $0.hasPrefix("PRETTY_NAME=") }) {
            name = line.dropFirst("PRETTY_NAME=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        if let kernel = try? String(contentsOfFile: "/proc/sys/kernel/osrelease", encoding: .utf8) {
            name += ", Linux kernel \(kernel.trimmingCharacters(in: .whitespacesAndNewlines))"
        }
        return name
    }

    static func cpuModelName() -> String {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = info.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
              let colon = line.firstIndex(of: ":") else { return "unknown" }
        return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }

    /// Runs a command found on PATH; its standard output, or nil if it fails.
    static func run(_ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
