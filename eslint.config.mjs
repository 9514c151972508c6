// Lint configuration: typescript-eslint's recommended rules for the whole project.
import eslint from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["node_modules/", "build/", "coverage/", "out/", "**/*.js", "**/*.mjs"] },
    eslint.configs.recommended,
    ...tseslint.configs.recommended,
    {
        rules: {
            // The offline preview talks to the SDK's untyped internals (mock monitor, protobuf messages).
            "@typescript-eslint/no-explicit-any": "off",
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
        },
    },
    {
        // Plain CommonJS preloads (the preview's TypeScript loader).
        files: ["**/*.cjs"],
        languageOptions: {
            sourceType: "commonjs",
            globals: { require: "readonly", module: "writable", process: "readonly", __dirname: "readonly" },
        },
        rules: { "@typescript-eslint/no-require-imports": "off" },
    },
);
