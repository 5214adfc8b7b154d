-- Drives corotidy-clangd through Neovim's built-in LSP client (the API of
-- Neovim 0.7, Debian 12's): opens $PROJECT/main.cpp, waits for diagnostics
-- and writes them to $OUT, one per line: `line:col: [code] message`.
-- Always quits, writing `error: ...` when something went wrong.
local out = os.getenv('OUT')

local function run()
  local project = os.getenv('PROJECT')
  local client = vim.lsp.start_client({
    name = 'corotidy-clangd',
    cmd = { os.getenv('CLANGD'), '--log=error' },
    root_dir = project,
  })
  assert(client, 'the language server did not start')
  vim.cmd('edit ' .. project .. '/main.cpp')
  vim.bo.filetype = 'cpp'
  assert(vim.lsp.buf_attach_client(0, client), 'cannot attach the client')
  local timeout = tonumber(os.getenv('TIMEOUT_MS') or '90000')
  local arrived = vim.wait(timeout, function()
    for _, d in ipairs(vim.diagnostic.get(0)) do
      local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
      if code and tostring(code):match('^coro%-') then
        return true
      end
    end
    return false
  end, 100)
  local lines = {}
  for _, d in ipairs(vim.diagnostic.get(0)) do
    local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or ''
    table.insert(lines, string.format('%d:%d: [%s] %s', d.lnum + 1, d.col + 1,
                                      tostring(code), d.message))
  end
  if not arrived then
    table.insert(lines, 'error: no coro- diagnostic within ' .. timeout .. ' ms')
  end
  vim.fn.writefile(lines, out)
  vim.lsp.stop_client(client)
end

local ok, err = pcall(run)
if not ok then
  vim.fn.writefile({ 'error: ' .. tostring(err) }, out)
end
vim.cmd('qa!')
