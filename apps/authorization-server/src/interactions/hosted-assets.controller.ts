import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { PASSKEY_SCRIPT, PASSKEY_SCRIPT_PATH } from './pages/passkey-script';
import { HOSTED_STYLESHEET, HOSTED_STYLESHEET_PATH } from './pages/stylesheet';

/** The hosted pages' files by path: one stylesheet and the passkey script. */
const ASSETS = new Map([
  [HOSTED_STYLESHEET_PATH, { type: 'text/css; charset=utf-8', body: HOSTED_STYLESHEET }],
  [PASSKEY_SCRIPT_PATH, { type: 'text/javascript; charset=utf-8', body: PASSKEY_SCRIPT }],
]);

/** The hosted pages' static files; their names carry their hashes, so browsers keep them for a year. */
@ApiExcludeController()
@Controller('assets')
export class HostedAssetsController {
  @Get(':file')
  asset(@Param('file') file: string, @Res() res: Response) {
    const asset = ASSETS.get(`/assets/${file}`);
    if (!asset) throw new NotFoundException();
    res
      .status(200)
      .set({
        'content-type': asset.type,
        'cache-control': 'public, max-age=31536000, immutable',
        'x-content-type-options': 'nosniff',
      })
      .send(asset.body);
  }
}
