// ESLint for the storefront (run by `make lint`): typescript-eslint's recommended rules and eslint-plugin-vue's
// "essential" ones (mistakes, not layout: the code's layout is the project's own and consistent).
import pluginVue from 'eslint-plugin-vue'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**'] },
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/essential'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
)
