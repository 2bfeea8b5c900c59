import { Module } from '@nestjs/common';
import { CaseDemandController, CaseDemandRecorder } from './cases/case-demand';

@Module({ controllers: [CaseDemandController, CaseDemandRecorder] })
export class SparesModule {}
