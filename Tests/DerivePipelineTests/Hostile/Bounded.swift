import Foundation

/// Runs the `derive` executable and measures what it cost: wall time and peak resident memory
/// (the kernel's high-water mark, `VmHWM`, sampled every few milliseconds until it exits; `wait4`'s
/// rusage would count the test process's own memory, which a spawned child inherits until exec).
/// A run past `timeout` is killed and reported.
enum Bounded {
    struct Run {
        var status: Int32
        /// Set when the process died of a signal (a crash: 11, 6) or was killed for the timeout (9).
        var signal: Int32?
        var seconds: Double
        var peakMegabytes: Double
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String], in directory: URL? = nil, timeout: Double = 60, environment extra: [String: String] = [:]) throws -> Run {
        let scratch = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("stdout").path, err = scratch.appendingPathComponent("stderr").path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var environment = ProcessInfo.processInfo.environment
        environment["DERIVE_CACHE"] = FileManager.default.temporaryDirectory.appendingPathComponent("derive-cli-cache").path
        environment.merge(extra) { $1 }
        // The shell changes folder and becomes derive (exec), so the child waited for is derive itself.
        let shell = ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", (directory ?? CLI.packageRoot).path, CLI.binary.path]
        let argv = (shell + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let start = ContinuousClock.now
        let spawned = posix_spawn(&pid, "/bin/sh", &actions, nil, argv, envp)
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EINVAL) }
        var status: Int32 = 0
        var killed = false
        var peakKilobytes = 0.0
        while true {
            peakKilobytes = max(peakKilobytes, highWaterMark(pid))
            let done = waitpid(pid, &status, WNOHANG)
            if done == pid { break }
            if done < 0, errno != EINTR { break }
            if ContinuousClock.now - start > .seconds(timeout), !killed {
                kill(pid, SIGKILL)
                killed = true
            }
            usleep(5_000)
        }
        let elapsed = ContinuousClock.now - start
        let signaled = (status & 0x7F) != 0 && (status & 0x7F) != 0x7F
        return Run(status: signaled ? -1 : (status >> 8) & 0xFF, signal: signaled ? status & 0x7F : nil,
                   seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
                   peakMegabytes: peakKilobytes / 1024,
                   stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
                   stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
    }

    /// The process's peak resident memory so far, in kB (0 when not known).
    static func highWaterMark(_ pid: pid_t) -> Double {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return 0 }
        return Double(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    /// A folder with these notebooks (name → text) in it.
    static func folder(_ notebooks: [String: String]) throws -> URL {
        let folder = try CLI.temporaryDirectory()
        for (name, text) in notebooks {
            let url = folder.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return folder
    }
}
