import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { HOSTED_STYLESHEET, HOSTED_STYLESHEET_PATH } from './pages/stylesheet';

/** The hosted pages' one stylesheet; its name carries its hash, so browsers keep it for a year. */
@ApiExcludeController()
@Controller('assets')
export class HostedAssetsController {
  @Get(':file')
  stylesheet(@Param('file') file: string, @Res() res: Response) {
    if (`/assets/${file}` !== HOSTED_STYLESHEET_PATH) throw new NotFoundException();
    res
      .status(200)
      .set({
        'content-type': 'text/css; charset=utf-8',
        'cache-control': 'public, max-age=31536000, immutable',
        'x-content-type-options': 'nosniff',
      })
      .send(HOSTED_STYLESHEET);
  }
}
