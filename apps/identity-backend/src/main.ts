import 'reflect-metadata';
import { runServiceCli } from '@platform/runtime';
import { identityBackend } from './identity-backend';

void runServiceCli(identityBackend);
