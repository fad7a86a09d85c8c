// mrpl for VS Code: starts `mrplc lsp` (configurable: mrpl.server.command) on stdio.
"use strict";
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const [command, ...args] = vscode.workspace.getConfiguration("mrpl").get("server.command", ["mrplc", "lsp"]);
  const server = { command, args };
  client = new LanguageClient(
    "mrpl",
    "mrpl language server",
    { run: server, debug: server },
    {
      documentSelector: [{ scheme: "file", language: "mrpl" }],
      synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher("**/*.mrp") },
    },
  );
  context.subscriptions.push({ dispose: () => client && client.stop() });
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
