import PackagePlugin
import Foundation

/// Embeds every `.bounds` file under `theorems/` into the Derivation module at build time, so the bundled
/// theory works from any directory (and from an installed binary), and an edited lemma is rebuilt in.
@main
struct EmbedTheory: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let root = context.package.directoryURL.appendingPathComponent("theorems")
        var inputs: [URL] = []
        if let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) {
            for case let url as URL in walker where url.pathExtension == "bounds" { inputs.append(url) }
        }
        inputs.sort { $0.path < $1.path }
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("EmbeddedTheory.swift")
        return [.buildCommand(displayName: "Embedding theorems/ (\(inputs.count) files)",
                              executable: try context.tool(named: "embed-theory").url,
                              arguments: [root.path, output.path],
                              inputFiles: inputs,
                              outputFiles: [output])]
    }
}
