// Tokenizes files with a TextMate grammar the way VS Code does
// (vscode-textmate on the Oniguruma engine) and prints, as JSON, the
// grammar's regexes that Oniguruma rejects and each file's lines as lists
// of [text, scopes] tokens.
//   node tokenize.js GRAMMAR FILE...
'use strict';
const fs = require('fs');
const path = require('path');
const oniguruma = require('vscode-oniguruma');
const textmate = require('vscode-textmate');

// Every match, begin and end of the grammar, with its error if it has one.
function regexErrors(rule, where, errors) {
	for (const key of ['match', 'begin', 'end']) {
		if (typeof rule[key] !== 'string')
			continue;
		try {
			new oniguruma.OnigScanner([rule[key]]).dispose();
		} catch (error) {
			errors.push(`${where}.${key}: ${error.message}`);
		}
	}
	for (const [name, child] of Object.entries(rule.repository || {}))
		regexErrors(child, `${where}.repository.${name}`, errors);
	(rule.patterns || []).forEach((child, i) => regexErrors(child, `${where}.patterns[${i}]`, errors));
	return errors;
}

async function main([grammarPath, ...files]) {
	const wasm = fs.readFileSync(path.join(path.dirname(require.resolve('vscode-oniguruma')), 'onig.wasm'));
	await oniguruma.loadWASM(wasm.buffer);
	const registry = new textmate.Registry({
		onigLib: Promise.resolve({
			createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
			createOnigString: (text) => new oniguruma.OnigString(text),
		}),
		loadGrammar: async () => textmate.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath),
	});
	const grammar = await registry.loadGrammar('source.vendor');
	const result = { regexErrors: regexErrors(JSON.parse(fs.readFileSync(grammarPath, 'utf8')), '$', []), files: {} };
	for (const file of files) {
		let state = textmate.INITIAL;
		result.files[file] = fs.readFileSync(file, 'utf8').split(/\r?\n/).map((line) => {
			const tokens = grammar.tokenizeLine(line, state);
			state = tokens.ruleStack;
			return tokens.tokens.map((t) => [line.slice(t.startIndex, t.endIndex), t.scopes]);
		});
	}
	process.stdout.write(JSON.stringify(result));
}

main(process.argv.slice(2)).catch((error) => {
	console.error(error);
	process.exit(3);
});
