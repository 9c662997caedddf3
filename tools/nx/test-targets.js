// Nx plugin: every project gets a `test` target that runs the Jest tests under its folder (unit
// specs and integration tests alike), so `nx affected -t test` runs only what a change can break.
// One definition here instead of the same target copied into every project.json.
const { dirname } = require('node:path');

const JEST =
  'NODE_OPTIONS="--experimental-vm-modules --no-warnings=ExperimentalWarning" jest --ci --forceExit --passWithNoTests';

exports.createNodesV2 = [
  '**/project.json',
  async (projectFiles) =>
    projectFiles.map((file) => {
      const root = dirname(file);
      return [
        file,
        {
          projects: {
            [root]: {
              targets: {
                test: {
                  executor: 'nx:run-commands',
                  // Anchored at the project's folder: `libs/shared/config` must not also run `libs/shared/config-x`.
                  options: { command: `${JEST} "$PWD/${root === '.' ? '' : `${root}/`}"` },
                  cache: false,
                },
              },
            },
          },
        },
      ];
    }),
];
